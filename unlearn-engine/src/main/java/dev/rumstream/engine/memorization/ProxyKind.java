package dev.rumstream.engine.memorization;

/**
 * How a memorization score was obtained; mirrors the Avro {@code ProxyKind} (the proxies this
 * engine computes).
 */
public enum ProxyKind {
  /**
   * Mean true-class softmax probability over all training steps (the C-proxy); falls as
   * memorization rises.
   */
  CONFIDENCE(false),
  /** Mean max-class probability over training; falls as memorization rises. */
  MAX_CONFIDENCE(false),
  /** Mean Σ p log p over training; falls as memorization rises. */
  NEGATIVE_ENTROPY(false),
  /**
   * Fraction of training steps the example was classified correctly (learning events); falls as
   * memorization rises.
   */
  BINARY_ACCURACY(false),
  /** Symmetric KL between θo and θo fine-tuned on held-out data; rises with memorization. */
  HOLDOUT_RETRAINING(true);

  private final boolean higherIsMoreMemorized;

  ProxyKind(boolean higherIsMoreMemorized) {
    this.higherIsMoreMemorized = higherIsMoreMemorized;
  }

  public boolean higherIsMoreMemorized() {
    return higherIsMoreMemorized;
  }
}
