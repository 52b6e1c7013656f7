package dev.rumstream.engine.eval;

/** Top-1 accuracies as fractions on the forget, retain and test sets. */
public record Accuracies(double forget, double retain, double test) {}
