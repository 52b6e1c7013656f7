package dev.rumstream.streams.topology;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.avro.DeletionRequest;

/**
 * An accepted request on its way to its forget set: its distinct example ids and effective
 * deadline, its subject's keyed hash (computed once, at intake), the facts its ACCEPTED receipt
 * stated, which its COMPLETED receipt repeats, and the end of its audit chain (the ACCEPTED
 * record), which SCHEDULED continues.
 */
record AcceptedRequest(
    DeletionRequest request,
    String subjectHash,
    int foldedDuplicateIds,
    boolean late,
    AuditChain.Link audit) {}
