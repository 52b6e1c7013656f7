package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.UnlearningAlgorithm;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.StandInRecords;
import dev.rumstream.worker.WorkerService;
import dev.rumstream.worker.store.PurgedVersionException;
import dev.rumstream.worker.store.VersionManifest;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The model lifecycle on a real broker and worker: a destructive job is REJECTED by the gate and
 * its fallback promoted; a job whose fallback is destructive too escalates to a retrain from
 * scratch; every older version is purged, announced as such and refuses to load; the deleted
 * examples' scores are tombstoned; each request gets one COMPLETED receipt, after the purge.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class LifecycleIT {
  private static final Map<String, String> DESTRUCTIVE = Map.of("lr", "1000", "epochs", "1");

  @Test
  void rejectedJobsFallBackOrEscalateAndEveryOlderVersionIsPurged(
      TestEnvironment environment, @TempDir Path cache) throws Exception {
    Map<String, String> worker =
        Map.ofEntries(
            // A gentle MEDIUM fallback that passes the gate on this 1-epoch model, whatever the
            // default fallback does to it.
            Map.entry("rumstream.gate.fallback.medium.algorithm", "FINE_TUNE"),
            Map.entry("rumstream.gate.fallback.medium.hp.lr", "0.001"),
            Map.entry("rumstream.gate.fallback.medium.hp.epochs", "1"),
            Map.entry("rumstream.gate.fallback.medium.hp.alpha", ""),
            // The HIGH level's fallback is destructive too, so its job must escalate (another rate
            // than the job's: a fallback that repeats the rejected plan is not run).
            Map.entry("rumstream.gate.fallback.high.algorithm", "FINE_TUNE"),
            Map.entry("rumstream.gate.fallback.high.hp.lr", "500"),
            Map.entry("rumstream.gate.fallback.high.hp.epochs", "1"),
            Map.entry("rumstream.gate.fallback.high.hp.alpha", ""),
            Map.entry("rumstream.store.purge.grace", "2s"));
    try (WorkerHarness harness = new WorkerHarness(environment, worker)) {
      VersionManifest v0 = harness.storeTrainedVersionZero(cache);
      int scoresOfVersionZero = (int) v0.datasetSize();
      List<UnlearnJob> jobs =
          List.of(
              job(0, MemorizationLevel.MEDIUM, List.of(300L, 301L, 302L, 303L)),
              job(1, MemorizationLevel.HIGH, List.of(310L, 311L, 312L, 313L)));
      harness.send(jobs);

      try (ServiceShell<WorkerService> shell = harness.pipeline.startWorker(true)) {
        List<DeletionReceipt> receipts = harness.receipts(2, java.time.Duration.ofMinutes(5));
        assertThat(receipts)
            .extracting(DeletionReceipt::getRequestId)
            .as("one COMPLETED receipt per request")
            .containsExactlyInAnyOrder("life-a", "life-b");
        MeterRegistry meters = shell.metrics();
        assertThat(
                meters
                    .get("rumstream.worker.escalations")
                    .tag("model", WorkerHarness.MODEL)
                    .tag("reason", "gate")
                    .counter()
                    .count())
            .isEqualTo(1);
        assertThat(
                meters
                    .get("rumstream.worker.gate")
                    .tag("model", WorkerHarness.MODEL)
                    .tag("outcome", "failed")
                    .counter()
                    .count())
            .as("the two destructive jobs and the destructive fallback")
            .isEqualTo(3);

        List<VersionManifest> versions = harness.store.versions(WorkerHarness.MODEL);
        assertThat(versions)
            .extracting(VersionManifest::version, VersionManifest::jobId, VersionManifest::attempt)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, null, 1),
                org.assertj.core.groups.Tuple.tuple(1L, "life-set-0", 1),
                org.assertj.core.groups.Tuple.tuple(2L, "life-set-0", 2),
                org.assertj.core.groups.Tuple.tuple(3L, "life-set-1", 1),
                org.assertj.core.groups.Tuple.tuple(4L, "life-set-1", 2),
                org.assertj.core.groups.Tuple.tuple(5L, "life-set-1", 3));
        assertThat(versions.get(1).gate().passed()).isFalse();
        assertThat(versions.get(2).gate().passed()).as("the fallback passed").isTrue();
        assertThat(versions.get(2).algorithm()).isEqualTo("FINE_TUNE");
        assertThat(versions.get(2).hyperParameters()).containsEntry("lr", "0.001");
        assertThat(versions.get(2).promotedAt()).isNotNull();
        assertThat(versions.get(3).gate().passed()).isFalse();
        assertThat(versions.get(4).gate().passed()).isFalse();
        VersionManifest retrained = versions.get(5);
        assertThat(retrained.status()).isEqualTo(VersionStatus.PROMOTED);
        assertThat(retrained.escalated()).isTrue();
        assertThat(retrained.algorithm()).isEqualTo("RETRAIN");
        assertThat(retrained.parentVersion()).isEqualTo(2L);
        assertThat(retrained.evidence().retainSize())
            .as("the whole retain set, never a sample")
            .isEqualTo(scoresOfVersionZero - 8);
        assertThat(retrained.deletedIds())
            .containsExactlyInAnyOrder(300L, 301L, 302L, 303L, 310L, 311L, 312L, 313L);
        for (VersionManifest old : versions.subList(0, 5)) {
          assertThat(old.status()).as("version %d", old.version()).isEqualTo(VersionStatus.PURGED);
          try (var files = Files.list(harness.store.directory(old))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                .containsExactly("manifest.json");
          }
          assertThatThrownBy(() -> harness.store.load(old, file -> "loaded", ModelFiles::checksum))
              .isInstanceOf(PurgedVersionException.class)
              .hasMessageContaining("was purged");
        }

        DeletionReceipt receipt = receipts.get(0);
        assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.COMPLETED);
        assertThat(receipt.getModelVersion()).isEqualTo(5L);
        assertThat(receipt.getEscalated()).isTrue();
        assertThat(receipt.getOlderVersionsPurgedAt())
            .as("issued only after the purge")
            .isNotNull()
            .isAfterOrEqualTo(versions.get(4).statusChangedAt());
        assertThat(receipt.getOutcomes())
            .extracting(o -> o.getModelVersion())
            .containsExactly(2L, 5L);

        List<ModelVersion> notices = harness.versions(18);
        Map<Long, Set<VersionStatus>> statuses =
            notices.stream()
                .collect(
                    Collectors.groupingBy(
                        ModelVersion::getVersion,
                        Collectors.mapping(ModelVersion::getStatus, Collectors.toSet())));
        assertThat(statuses.get(0L)).contains(VersionStatus.SUPERSEDED, VersionStatus.PURGED);
        assertThat(statuses.get(1L)).contains(VersionStatus.REJECTED, VersionStatus.PURGED);
        assertThat(statuses.get(2L))
            .contains(VersionStatus.PROMOTED, VersionStatus.SUPERSEDED, VersionStatus.PURGED);
        assertThat(statuses.get(5L)).containsExactly(VersionStatus.PROMOTED);
        assertThat(
                notices.stream()
                    .filter(n -> n.getVersion() == 1L && n.getGate() != null)
                    .findFirst()
                    .orElseThrow()
                    .getGate()
                    .getChecks())
            .filteredOn(check -> check.getName().endsWith("accuracy-drop"))
            .as("each utility drop's margin of error, through the registry's wire format")
            .hasSize(2)
            .allSatisfy(check -> assertThat(check.getMargin()).isNotNull().isNotNegative());
        assertThat(
                notices.stream()
                    .filter(n -> n.getStatus() == VersionStatus.PROMOTED)
                    .map(ModelVersion::getVersion))
            .as("a version number is promoted once")
            .doesNotHaveDuplicates();

        List<ConsumerRecord<String, MemorizationScore>> scores =
            harness.scores(2 * scoresOfVersionZero);
        Set<String> tombstoned =
            scores.stream()
                .filter(r -> r.value() == null)
                .map(ConsumerRecord::key)
                .collect(Collectors.toSet());
        assertThat(tombstoned)
            .containsExactlyInAnyOrder(
                List.of(300L, 301L, 302L, 303L, 310L, 311L, 312L, 313L).stream()
                    .map(id -> Keys.score(WorkerHarness.MODEL, id))
                    .toArray(String[]::new));
        assertThat(scores)
            .filteredOn(r -> r.value() != null && r.value().getModelVersion() == 5L)
            .as("the retrained model's fresh scores, for every example not deleted")
            .hasSize(scoresOfVersionZero - 8);
      }
    }
  }

  @Test
  void anOperatorsRetrainIsPromotedWithFreshScoresAndPurgesTheOriginal(
      TestEnvironment environment, @TempDir Path dir) throws Exception {
    try (WorkerHarness harness = new WorkerHarness(environment)) {
      VersionManifest v0 = harness.storeVersionZero();
      Path config = dir.resolve("worker.properties");
      Properties properties = new Properties();
      properties.putAll(harness.settings);
      try (var out = Files.newBufferedWriter(config)) {
        properties.store(out, "the test worker's settings");
      }
      assertThat(
              new CommandLine(new Retrain())
                  .execute("--model", WorkerHarness.MODEL, "--config", config.toString()))
          .isZero();

      try (ServiceShell<WorkerService> shell = harness.pipeline.startWorker(true)) {
        await("the retrain promoted")
            .atMost(java.time.Duration.ofMinutes(5))
            .until(() -> harness.promotedVersions().contains(1L));
        await("version 0 purged")
            .atMost(java.time.Duration.ofMinutes(1))
            .until(
                () ->
                    harness.store.versions(WorkerHarness.MODEL).get(0).status()
                        == VersionStatus.PURGED);
      }
      VersionManifest retrained = harness.store.promoted(WorkerHarness.MODEL).orElseThrow();
      assertThat(retrained.version()).isEqualTo(1L);
      assertThat(retrained.algorithm()).isEqualTo("RETRAIN");
      assertThat(retrained.attempt()).isEqualTo(3);
      assertThat(retrained.escalated()).as("asked for, not escalated").isFalse();
      assertThat(retrained.parentVersion()).isEqualTo(v0.version());
      assertThat(retrained.evidence().retainSize()).isEqualTo((int) v0.datasetSize());
      assertThat(
              harness.scores((int) v0.datasetSize()).stream()
                  .filter(r -> r.value() != null && r.value().getModelVersion() == 1L))
          .as("the retrained model's scores, one per example")
          .hasSize((int) v0.datasetSize());
    }
  }

  private static UnlearnJob job(int index, MemorizationLevel level, List<Long> examples) {
    return StandInRecords.job(
        WorkerHarness.MODEL,
        "life-set",
        index,
        2,
        level,
        UnlearningAlgorithm.FINE_TUNE,
        DESTRUCTIVE,
        examples,
        List.of("life-a", "life-b"),
        4);
  }
}
