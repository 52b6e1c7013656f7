package dev.rumstream.streams.topology;

import dev.rumstream.avro.state.OpenForgetSet;
import dev.rumstream.avro.state.PendingExample;
import dev.rumstream.avro.state.PendingRequest;
import java.util.List;

/**
 * Reads an open forget set as releases before per-request state kept it (one Avro record per set,
 * rewritten on every request) as the requests it gathered.
 */
final class LegacySets {
  private LegacySets() {}

  /** The set's requests in arrival order, each with the set's examples it asked for. */
  static List<GatheredRequest> requests(OpenForgetSet set) {
    return set.getRequests().stream().map(r -> request(set, r)).toList();
  }

  private static GatheredRequest request(OpenForgetSet set, PendingRequest request) {
    long[] ids =
        set.getExamples().stream()
            .filter(e -> e.getRequestIds().contains(request.getRequestId()))
            .mapToLong(PendingExample::getExampleId)
            .toArray();
    return new GatheredRequest(
        request.getRequestId(),
        request.getSubjectHash(),
        request.getReason(),
        request.getRequestedAt(),
        request.getDeadline(),
        request.getFoldedDuplicateIds(),
        request.getLate(),
        request.getAuditSequence(),
        request.getAuditMac(),
        ids);
  }
}
