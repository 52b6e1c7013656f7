package dev.rumstream.engine.eval;

import java.util.OptionalDouble;

/**
 * One model's accuracies, MIA on the forget set and (when asked for) entanglement of forget vs
 * retain embeddings.
 */
public record Measurement(Accuracies accuracies, double mia, OptionalDouble entanglement) {}
