package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionRequest;

/**
 * An accepted request on its way to its forget set: its distinct example ids and effective
 * deadline, and the facts its ACCEPTED receipt stated, which its COMPLETED receipt repeats.
 */
record AcceptedRequest(DeletionRequest request, int foldedDuplicateIds, boolean late) {}
