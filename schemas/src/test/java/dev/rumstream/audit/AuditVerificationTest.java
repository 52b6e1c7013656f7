package dev.rumstream.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditVerificationTest {
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private final AuditChain streams = new AuditChain("k3y", "rumstream-streams");
  private final AuditChain worker = new AuditChain("k3y", "worker-1");
  private final AuditVerification verification = new AuditVerification(streams);

  /** ACCEPTED, SCHEDULED by the streams app; PURGED, COMPLETED by a worker. */
  private List<AuditRecord> trail(String id) {
    AuditRecord accepted =
        streams.first(id, AuditTransition.ACCEPTED, T0, "m", Map.of("exampleCount", "3"));
    AuditRecord scheduled =
        streams.next(
            AuditChain.Link.of(accepted),
            id,
            AuditTransition.SCHEDULED,
            T0.plusSeconds(60),
            "m",
            Map.of("forgetSetId", "m-1"));
    AuditRecord purged =
        worker.next(
            AuditChain.Link.of(scheduled),
            id,
            AuditTransition.PURGED,
            T0.plusSeconds(90),
            "m",
            Map.of("versions", "0"));
    AuditRecord completed =
        worker.next(
            AuditChain.Link.of(purged),
            id,
            AuditTransition.COMPLETED,
            T0.plusSeconds(91),
            "m",
            Map.of("version", "1"));
    return List.of(accepted, scheduled, purged, completed);
  }

  private static List<AuditVerification.Entry> entries(List<AuditRecord> records) {
    List<AuditVerification.Entry> entries = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      AuditRecord record = records.get(i);
      entries.add(new AuditVerification.Entry(0, i, record.getRequestId(), record, null));
    }
    return entries;
  }

  @Test
  void anIntactTrailVerifies() {
    List<AuditRecord> records = new ArrayList<>(trail("r1"));
    records.addAll(trail("r2"));
    AuditVerification.Report report = verification.verify(entries(records), Set.of("r1", "r2"));
    assertThat(report.problems()).isEmpty();
    assertThat(report.verified()).isTrue();
    assertThat(report.requests()).isEqualTo(2);
    assertThat(report.completed()).isEqualTo(2);
  }

  @Test
  void aChangedFieldIsReportedWhereItIs() {
    List<AuditRecord> records = trail("r1");
    records.get(3).getDetails().put("version", "2");
    assertThat(verification.verify(entries(records), Set.of("r1")).problems())
        .extracting(AuditVerification.Problem::toString)
        .containsExactly(
            "partition 0 offset 3 (request r1): its mac does not match its content: changed, or"
                + " not written under this audit key");
  }

  @Test
  void aRemovedRecordInsideOrAtTheEndOfATrailIsReported() {
    List<AuditRecord> inside = new ArrayList<>(trail("r1"));
    inside.remove(1);
    assertThat(verification.verify(entries(inside), Set.of("r1")).problems())
        .extracting(AuditVerification.Problem::what)
        .containsExactly("sequence 2 where 1 was due: 1 record(s) missing");

    List<AuditRecord> end = new ArrayList<>(trail("r1"));
    end.remove(3);
    assertThat(verification.verify(entries(end), Set.of("r1")).problems())
        .extracting(AuditVerification.Problem::toString)
        .containsExactly(
            "partition 0 offset 2 (request r1): COMPLETED receipt, but the trail ends here at"
                + " PURGED: its last record(s) are missing");
    assertThat(verification.verify(List.of(), Set.of("r9")).problems())
        .extracting(AuditVerification.Problem::toString)
        .containsExactly("receipts (request r9): COMPLETED receipt, but no audit trail");
  }

  @Test
  void aForgedRecordUnderAnotherKeyOrOnAnotherChainIsReported() {
    List<AuditRecord> records = new ArrayList<>(trail("r1"));
    AuditChain forger = new AuditChain("not-the-key", "x");
    records.set(
        3,
        forger.next(
            AuditChain.Link.of(records.get(2)),
            "r1",
            AuditTransition.COMPLETED,
            T0,
            "m",
            Map.of()));
    assertThat(verification.verify(entries(records), Set.of()).problems())
        .extracting(AuditVerification.Problem::what)
        .containsExactly(
            "its mac does not match its content: changed, or not written under this audit key");

    List<AuditRecord> other = new ArrayList<>(trail("r1"));
    AuditRecord foreign =
        worker.next(
            new AuditChain.Link(1, "0".repeat(64)),
            "r1",
            AuditTransition.PURGED,
            T0,
            "m",
            Map.of());
    other.set(2, foreign);
    assertThat(verification.verify(entries(other), Set.of()).problems())
        .extracting(AuditVerification.Problem::what)
        .containsExactly(
            "does not chain onto the record before it", "does not chain onto the record before it");
  }

  @Test
  void aTrailMustStartWithAnIntakeDecisionAndEndAtCompletion() {
    List<AuditRecord> records = trail("r1");
    AuditRecord extra =
        worker.next(
            AuditChain.Link.of(records.get(3)), "r1", AuditTransition.PURGED, T0, "m", Map.of());
    List<AuditRecord> afterCompletion = new ArrayList<>(records);
    afterCompletion.add(extra);
    assertThat(verification.verify(entries(afterCompletion), Set.of()).problems())
        .extracting(AuditVerification.Problem::what)
        .containsExactly("PURGED after COMPLETED");
    List<AuditVerification.Entry> unreadable =
        List.of(new AuditVerification.Entry(2, 7, "r5", null, "not Avro"));
    assertThat(verification.verify(unreadable, Set.of()).problems())
        .extracting(AuditVerification.Problem::toString)
        .containsExactly("partition 2 offset 7 (request r5): cannot be read: not Avro");
  }
}
