package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.VersionManifest;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bootstrap step as every stack runs it ({@code rumstream train}, compose's one-shot service,
 * the Kubernetes Job), run three times on one model store: it trains and publishes once, then does
 * nothing; a store whose version 0 was never published gets it published.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class BootstrapIT {

  @Test
  void trainsAndPublishesOnceThenDoesNothing(TestEnvironment environment, @TempDir Path dir)
      throws Exception {
    try (WorkerHarness harness =
        new WorkerHarness(
            environment,
            TinyImageFolder.workerSettings(TinyImageFolder.write(dir.resolve("images"))))) {
      Path config = dir.resolve("worker.properties");
      Properties properties = new Properties();
      properties.putAll(harness.settings);
      try (Writer out = Files.newBufferedWriter(config)) {
        properties.store(out, null);
      }
      String[] train = {
        "--model-id", WorkerHarness.MODEL, "--epochs", "1", "--config", config.toString()
      };

      assertThat(new CommandLine(new Train()).execute(train)).isZero();
      assertThat(harness.store.versions(WorkerHarness.MODEL))
          .as("trained")
          .extracting(VersionManifest::version)
          .containsExactly(0L);
      assertThat(all(harness, Topic.MODEL_VERSIONS)).as("version 0 announced").hasSize(1);
      assertThat(all(harness, Topic.MEMORIZATION_SCORES))
          .as("a score for every training example")
          .hasSize(TinyImageFolder.TRAINING_IMAGES);

      assertThat(new CommandLine(new Train()).execute(train)).isZero();
      assertThat(all(harness, Topic.MODEL_VERSIONS))
          .as("a second run publishes nothing")
          .hasSize(1);

      Files.delete(
          harness.store.root().resolve(WorkerHarness.MODEL).resolve("bootstrap-published"));
      assertThat(new CommandLine(new Train()).execute(train)).isZero();
      assertThat(harness.store.versions(WorkerHarness.MODEL)).as("not trained again").hasSize(1);
      assertThat(all(harness, Topic.MODEL_VERSIONS))
          .as("a stored, unpublished version 0 is published")
          .hasSize(2);
    }
  }

  /** Every record on one of the harness's topics (read for a few seconds). */
  private static List<ConsumerRecord<String, byte[]>> all(
      WorkerHarness harness, Topic<?, ?> topic) {
    return harness.environment.consume(
        harness.topic(topic),
        Integer.MAX_VALUE,
        new ByteArrayDeserializer(),
        Duration.ofSeconds(5));
  }
}
