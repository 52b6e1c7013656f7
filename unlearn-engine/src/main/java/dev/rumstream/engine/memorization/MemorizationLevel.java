package dev.rumstream.engine.memorization;

/**
 * RUM's refinement buckets; mirrors the Avro {@code MemorizationLevel}. Sub-batches run LOW,
 * MEDIUM, HIGH.
 */
public enum MemorizationLevel {
  LOW,
  MEDIUM,
  HIGH
}
