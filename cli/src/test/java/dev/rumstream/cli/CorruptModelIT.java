package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A corrupted model file is refused and reported, and nothing is published from it. */
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
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while ((worker.problem() == null || !worker.problem().contains("corrupt"))
            && Instant.now().isBefore(deadline)) {
          Thread.sleep(200);
        }
        assertThat(worker.problem())
            .as("readiness names the refused version")
            .contains("job corrupt-set-0 failed")
            .contains("corrupted");
        assertThat(meters.get("rumstream.worker.jobs").tag("outcome", "failed").counter().count())
            .isGreaterThanOrEqualTo(1);
      }
      assertThat(harness.store.versions(WorkerHarness.MODEL))
          .as("no version was derived from it")
          .hasSize(1);
      assertThat(
              environment.consume(
                  harness.topic(Topic.MODEL_VERSIONS),
                  1,
                  new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                  Duration.ofSeconds(3)))
          .as("nothing was announced")
          .isEmpty();
      assertThat(
              environment.consume(
                  harness.topic(Topic.DELETION_RECEIPTS),
                  1,
                  new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                  Duration.ofSeconds(3)))
          .as("no receipt was issued")
          .isEmpty();
    }
  }
}
