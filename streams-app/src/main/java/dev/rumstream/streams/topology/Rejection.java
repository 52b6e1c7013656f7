package dev.rumstream.streams.topology;

/**
 * A request the intake refused, as a value that flows to the dead-letter topic: the rule it broke
 * (the {@code rule} tag of {@code rumstream_requests_rejected_total}), what is wrong, and the
 * record's key and value bytes as they arrived (the value is null for a tombstone). The original
 * headers travel on the record itself.
 */
record Rejection(String rule, String reason, byte[] originalKey, byte[] originalValue) {}
