package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A COMPLETED receipt keeps every fact its ACCEPTED receipt stated, and says if it was in time. */
class AnnouncementsTest {
  private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

  private static RequestSummary summary(String id, Instant deadline, int folded, boolean late) {
    return RequestSummary.newBuilder()
        .setRequestId(id)
        .setSubjectHash("hmac-sha256:" + id)
        .setReason(DeletionReason.GDPR_ERASURE)
        .setReceivedAt(T0)
        .setDeadline(deadline)
        .setExampleCount(3)
        .setFoldedDuplicateIds(folded)
        .setLate(late)
        .build();
  }

  @Test
  void completedReceiptsRepeatTheAcceptedFactsAndWhetherTheDeadlineWasMet() {
    VersionManifest promoted =
        VersionManifest.original(
            "fmnist",
            Map.of(),
            "fashion-mnist",
            60_000,
            "small-cnn",
            T0,
            "cpu",
            new VersionManifest.Evidence(null, 0.9, 0.9, null, null, null, 0, 0, 0));
    Instant now = T0.plusSeconds(3_600);

    List<DeletionReceipt> receipts =
        Announcements.completed(
            promoted,
            List.of(promoted),
            List.of(
                summary("in-time", now.plusSeconds(1), 2, false),
                summary("late", T0.minusSeconds(60), 0, true),
                summary("no-deadline", null, 0, false)),
            now,
            now);

    assertThat(receipts)
        .extracting(DeletionReceipt::getStatus)
        .containsOnly(ReceiptStatus.COMPLETED);
    assertThat(receipts.get(0).getFoldedDuplicateIds()).isEqualTo(2);
    assertThat(receipts.get(0).getDeadlineMet()).isTrue();
    assertThat(receipts.get(0).getLate()).isFalse();
    assertThat(receipts.get(1).getLate()).isTrue();
    assertThat(receipts.get(1).getDeadlineMet()).isFalse();
    assertThat(receipts.get(2).getDeadlineMet()).isNull();
    assertThat(receipts)
        .extracting(DeletionReceipt::getSubjectHash, DeletionReceipt::getReceivedAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hmac-sha256:in-time", T0),
            org.assertj.core.groups.Tuple.tuple("hmac-sha256:late", T0),
            org.assertj.core.groups.Tuple.tuple("hmac-sha256:no-deadline", T0));
  }
}
