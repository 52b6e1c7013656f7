package dev.rumstream.streams.topology;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.state.OutstandingRequest;
import java.time.Instant;

/**
 * Keeps the outstanding-requests store from the audit trail: a request enters at ACCEPTED with its
 * deadline, follows its transitions (SCHEDULED: in the worker's queue or running), and leaves at
 * COMPLETED. Derived from the trail rather than from the forget-set state, so everything pending is
 * covered: requests in open sets, queued jobs and the job a worker is running.
 */
final class Outstanding {
  private Outstanding() {}

  /** The request's entry after this record; null removes it. */
  static OutstandingRequest next(AuditRecord record, OutstandingRequest current) {
    return switch (record.getTransition()) {
      case ACCEPTED ->
          new OutstandingRequest(
              record.getModelId(),
              record.getAt().toEpochMilli(),
              deadline(record.getDetails().get("deadline")),
              record.getTransition().name());
      case REJECTED, COMPLETED -> null;
      case SCHEDULED, ESCALATED, PURGED -> {
        if (current == null) {
          yield null; // accepted before the trail existed: nothing to follow
        }
        current.setStage(record.getTransition().name());
        yield current;
      }
    };
  }

  private static Long deadline(String text) {
    return text == null || text.equals("none") ? null : Instant.parse(text).toEpochMilli();
  }
}
