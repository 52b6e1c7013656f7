package dev.rumstream.streams.refine;

import dev.rumstream.avro.MemorizationLevel;

/**
 * Raw-score boundaries between memorization levels for one proxy direction. {@code lowerCut}
 * separates LOW from MEDIUM and {@code upperCut} MEDIUM from HIGH, both in the proxy's own units:
 * for a proxy that rises with memorization LOW is {@code score <= lowerCut} and HIGH {@code score >
 * upperCut}; for confidence-type proxies (falling with memorization) LOW is {@code score >=
 * lowerCut} and HIGH {@code score < upperCut}. Every level can be recomputed from the cuts recorded
 * on the forget set.
 */
public record Cuts(double lowerCut, double upperCut, boolean higherIsMoreMemorized) {

  public MemorizationLevel levelOf(double score) {
    double m = memorization(score, higherIsMoreMemorized);
    if (m <= memorization(lowerCut, higherIsMoreMemorized)) {
      return MemorizationLevel.LOW;
    }
    if (m > memorization(upperCut, higherIsMoreMemorized)) {
      return MemorizationLevel.HIGH;
    }
    return MemorizationLevel.MEDIUM;
  }

  /**
   * The cuts at two boundaries given in either order, in the proxy's units: the less memorized one
   * separates LOW from MEDIUM.
   */
  static Cuts between(double one, double other, boolean higherIsMoreMemorized) {
    double lower = Math.min(one, other);
    double upper = Math.max(one, other);
    return higherIsMoreMemorized ? new Cuts(lower, upper, true) : new Cuts(upper, lower, false);
  }

  /** The score on an axis where larger always means more memorized. */
  static double memorization(double score, boolean higherIsMoreMemorized) {
    return higherIsMoreMemorized ? score : -score;
  }
}
