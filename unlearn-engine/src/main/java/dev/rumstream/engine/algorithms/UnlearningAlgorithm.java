package dev.rumstream.engine.algorithms;

/**
 * The algorithms the engine applies; mirrors the Avro {@code UnlearningAlgorithm} symbol for
 * symbol.
 */
public enum UnlearningAlgorithm {
  /** Records the examples as deleted without touching the parameters. */
  NONE,
  /** The oracle: train from a fresh initialization on the retain set. */
  RETRAIN,
  FINE_TUNE,
  L1_SPARSE,
  NEG_GRAD,
  NEG_GRAD_PLUS,
  SCRUB,
  RANDOM_LABEL,
  SALUN
}
