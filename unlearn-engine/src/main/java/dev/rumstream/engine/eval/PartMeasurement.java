package dev.rumstream.engine.eval;

/**
 * A model's measurement with the forget set split into parts (e.g. memorization levels): the whole
 * measurement, and each part's accuracy and attack rate from the same attack fit.
 *
 * @param accuracies each part's top-1 accuracy, in the order of the parts asked for (NaN if empty)
 * @param mias each part's fraction the attack calls non-member (NaN if empty)
 */
public record PartMeasurement(Measurement whole, double[] accuracies, double[] mias) {}
