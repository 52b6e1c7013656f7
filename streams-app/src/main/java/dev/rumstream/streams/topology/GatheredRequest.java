package dev.rumstream.streams.topology;

/**
 * One accepted request in an open forget set, as its state entry holds it: what its receipts and
 * audit trail will say of it, and its distinct example ids. Written once when the request arrives
 * and deleted when the set closes, so a request costs state in proportion to itself only.
 *
 * @param subjectHash keyed hash of the subject (the raw id never reaches state), or null
 * @param reason the DeletionReason symbol, or null
 * @param deadline epoch millis, or null
 * @param auditSequence sequence of the request's ACCEPTED audit record, or null (accepted before
 *     the audit trail existed)
 * @param auditMac that record's mac, which SCHEDULED chains onto, or null
 */
record GatheredRequest(
    String requestId,
    String subjectHash,
    String reason,
    long requestedAt,
    Long deadline,
    int foldedDuplicateIds,
    boolean late,
    Integer auditSequence,
    String auditMac,
    long[] exampleIds) {

  static GatheredRequest of(AcceptedRequest accepted) {
    var request = accepted.request();
    return new GatheredRequest(
        request.getRequestId(),
        accepted.subjectHash(),
        request.getReason() == null ? null : request.getReason().name(),
        request.getRequestedAt().toEpochMilli(),
        request.getDeadline() == null ? null : request.getDeadline().toEpochMilli(),
        accepted.foldedDuplicateIds(),
        accepted.late(),
        accepted.audit().sequence(),
        accepted.audit().mac(),
        request.getExampleIds().stream().mapToLong(Long::longValue).toArray());
  }
}
