package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.engine.data.ImageFolders;
import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.StandInRecords;
import dev.rumstream.topics.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained on a folder of the user's own images, on a real broker and registry: its ids are
 * hashes of the image paths, published with the model as a bitmap; a request for images of the
 * folder completes, one for an id that is not an image of it is rejected.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class ImageFolderIT {
  private static final String MODEL = "folder-model";

  @Test
  void aModelTrainedOnAnImageFolderDeletesItsImagesAndRejectsOtherIds(
      TestEnvironment environment, @TempDir Path dir) throws Exception {
    Path images = TinyImageFolder.write(dir.resolve("images"));
    long first = ImageFolders.stableId("train/class-0/000.png");
    long second = ImageFolders.stableId("train/class-1/007.png");
    try (EmbeddedPipeline pipeline =
        EmbeddedPipeline.on(environment.bootstrapServers(), environment.schemaRegistryUrl())
            .streams(
                Map.of(
                    "rumstream.window.size", "1h",
                    "rumstream.window.max.wait", "2s",
                    "rumstream.window.flush.interval", "500ms",
                    "rumstream.policy.low.algorithm", "NONE",
                    "rumstream.policy.medium.algorithm", "NONE",
                    "rumstream.policy.high.algorithm", "NONE"))
            .worker(TinyImageFolder.workerSettings(images))
            .create()) {
      pipeline.storeTrainedVersionZero(dir.resolve("cache"), MODEL, 1);
      pipeline.startStreams();
      pipeline.startWorker(true);
      RequestSender.send(
          environment,
          pipeline.topic(Topic.DELETION_REQUESTS),
          List.of(
              StandInRecords.erasure(
                  "folder-ok", MODEL, List.of(first, second), Instant.now(), "it"),
              StandInRecords.erasure(
                  "folder-bad", MODEL, List.of(first, 5L), Instant.now(), "it")));
      RegistryClient registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));
      Map<String, List<DeletionReceipt>> receipts =
          environment
              .consume(
                  pipeline.topic(Topic.DELETION_RECEIPTS),
                  3, // ACCEPTED and COMPLETED for the first, REJECTED for the second
                  AvroDeserializer.forClass(DeletionReceipt.class, registry),
                  Duration.ofMinutes(3))
              .stream()
              .map(ConsumerRecord::value)
              .collect(Collectors.groupingBy(DeletionReceipt::getRequestId));
      assertThat(receipts.get("folder-ok"))
          .extracting(DeletionReceipt::getStatus)
          .containsExactly(ReceiptStatus.ACCEPTED, ReceiptStatus.COMPLETED);
      assertThat(receipts.get("folder-ok").get(1).getExampleCount()).isEqualTo(2);
      assertThat(receipts.get("folder-bad"))
          .singleElement()
          .satisfies(
              rejected -> {
                assertThat(rejected.getStatus()).isEqualTo(ReceiptStatus.REJECTED);
                assertThat(rejected.getRejection())
                    .contains(
                        "example id 5 is not one of the "
                            + TinyImageFolder.TRAINING_IMAGES
                            + " example ids");
              });
      assertThat(pipeline.store().promoted(MODEL).orElseThrow().deletedIds())
          .containsExactlyInAnyOrder(first, second);
    }
  }
}
