package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.WorkerService;
import dev.rumstream.worker.store.VersionManifest;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store answers to what was announced: a corrupted or missing promoted version stops the
 * model's jobs with readiness DOWN, publishes nothing and never reuses a version number; restoring
 * the files lets the jobs go on.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class CorruptModelIT {

  @Test
  void theWorkerRefusesACorruptedVersionAndPublishesNothing(TestEnvironment environment)
      throws Exception {
    try (WorkerHarness harness = new WorkerHarness(environment)) {
      VersionManifest v0 = harness.storeVersionZero();
      Path params = harness.store.parameters(v0);
      byte[] bytes = Files.readAllBytes(params);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(params, bytes, StandardOpenOption.TRUNCATE_EXISTING);
      harness.send(WorkerHarness.forgetSet("corrupt-set", List.of("corrupt-a"), 300, 1));

      try (ServiceShell<WorkerService> shell = harness.pipeline.startWorker(false)) {
        WorkerService worker = shell.service();
        MeterRegistry meters = shell.metrics();
        awaitProblem(worker, "checksum");
        assertThat(worker.problem())
            .as("readiness names the model and the refused version")
            .contains("model crash-test is blocked")
            .contains("parameters of version 0")
            .contains("checksum");
        assertThat(worker.ready().up()).isFalse();
        assertThat(
                meters
                    .get("rumstream.worker.model.blocked")
                    .tag("model", WorkerHarness.MODEL)
                    .gauge()
                    .value())
            .isEqualTo(1.0);
      }
      assertThat(harness.store.versions(WorkerHarness.MODEL))
          .as("no version was derived from it")
          .hasSize(1);
      assertThat(harness.records(Topic.MODEL_VERSIONS)).as("nothing was announced").isEmpty();
      assertThat(harness.records(Topic.DELETION_RECEIPTS)).as("no receipt was issued").isEmpty();
    }
  }

  @Test
  void aMissingNewestVersionStopsTheModelUntilItsFilesAreRestored(TestEnvironment environment)
      throws Exception {
    try (WorkerHarness harness = new WorkerHarness(environment)) {
      harness.storeVersionZero();
      harness.send(WorkerHarness.forgetSet("kept-set", List.of("kept-a"), 300, 1));
      Path newest;
      try (ServiceShell<WorkerService> shell = harness.pipeline.startWorker(true)) {
        assertThat(harness.receipts(1)).hasSize(1);
        newest = harness.store.directory(harness.store.promoted(WorkerHarness.MODEL).orElseThrow());
      }
      assertThat(newest.getFileName().toString()).isEqualTo("v000003");
      Path away = Files.createTempDirectory("moved-away").resolve("v000003");
      Files.move(newest, away);
      harness.send(WorkerHarness.forgetSet("next-set", List.of("next-a"), 400, 1));

      try (ServiceShell<WorkerService> shell = harness.pipeline.startWorker(false)) {
        WorkerService worker = shell.service();
        awaitProblem(worker, "blocked");
        assertThat(worker.problem())
            .as("the announced version is missing from the store")
            .contains("model crash-test is blocked")
            .contains("no promoted version of crash-test (version 3 was announced PROMOTED)");
        assertThat(worker.ready().up()).isFalse();
        await("no job runs on the version before it")
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> harness.store.latest(WorkerHarness.MODEL).orElseThrow().version() == 2L);

        Files.move(away, newest);
        List<DeletionReceipt> receipts = harness.receipts(2, Duration.ofMinutes(3));
        assertThat(receipts).extracting(DeletionReceipt::getRequestId).contains("next-a");
        assertThat(worker.problem()).isNull();
      }
      assertThat(
              harness.versions(30).stream()
                  .filter(v -> v.getStatus() == VersionStatus.PROMOTED)
                  .map(ModelVersion::getVersion))
          .as("no version number is announced PROMOTED twice")
          .doesNotHaveDuplicates()
          .contains(6L);
    }
  }

  private static void awaitProblem(WorkerService worker, String text) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> worker.problem() != null && worker.problem().contains(text));
  }
}
