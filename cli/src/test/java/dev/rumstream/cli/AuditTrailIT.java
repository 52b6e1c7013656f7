package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.engine.data.ImageFolders;
import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.StandInRecords;
import dev.rumstream.topics.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit trail end to end on a real broker and registry: the streams app and a worker carry two
 * requests to COMPLETED; each request's history shows ACCEPTED, SCHEDULED, PURGED and COMPLETED in
 * order and verifies; {@code rumstream audit verify} passes the topic, and reports a copy with a
 * flipped byte or a removed record, saying where.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class AuditTrailIT {
  private static final String MODEL = "audit-model";

  @Test
  void aCompletedRequestsTrailHasEveryTransitionInOrderAndTamperingShows(
      TestEnvironment environment, @TempDir Path dir) throws Exception {
    Map<String, String> noAlgorithms =
        Map.of(
            "commit.interval.ms", "200",
            "statestore.cache.max.bytes", "0",
            "rumstream.window.size", "1h",
            "rumstream.window.max.wait", "2s",
            "rumstream.window.flush.interval", "500ms",
            "rumstream.policy.low.algorithm", "NONE",
            "rumstream.policy.medium.algorithm", "NONE",
            "rumstream.policy.high.algorithm", "NONE");
    try (EmbeddedPipeline pipeline =
        EmbeddedPipeline.on(environment.bootstrapServers(), environment.schemaRegistryUrl())
            .streams(noAlgorithms)
            .worker(TinyImageFolder.workerSettings(TinyImageFolder.write(dir.resolve("images"))))
            .create()) {
      pipeline.storeTrainedVersionZero(dir.resolve("cache"), MODEL, 1);
      ServiceShell<StreamsService> streams = pipeline.startStreams();
      pipeline.startWorker(true);
      RequestSender.send(
          environment,
          pipeline.topic(Topic.DELETION_REQUESTS),
          List.of("audit-a", "audit-b").stream()
              .map(
                  id ->
                      StandInRecords.erasure(
                          id,
                          MODEL,
                          List.of(
                              ImageFolders.stableId("train/class-0/011.png"),
                              ImageFolders.stableId("train/class-1/012.png")),
                          Instant.now(),
                          "audit-test"))
              .toList());
      RegistryClient registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));
      List<DeletionReceipt> completed =
          environment
              .consume(
                  pipeline.topic(Topic.DELETION_RECEIPTS),
                  4, // ACCEPTED and COMPLETED for each
                  AvroDeserializer.forClass(DeletionReceipt.class, registry),
                  Duration.ofMinutes(3))
              .stream()
              .map(ConsumerRecord::value)
              .filter(r -> r.getStatus() == ReceiptStatus.COMPLETED)
              .toList();
      assertThat(completed)
          .extracting(DeletionReceipt::getRequestId)
          .containsExactlyInAnyOrder("audit-a", "audit-b");

      JsonNode history = history(streams.port(), "audit-a");
      assertThat(history.path("verified").asBoolean()).as(history.toString()).isTrue();
      List<String> transitions = new ArrayList<>();
      history.path("records").forEach(r -> transitions.add(r.path("transition").asText()));
      assertThat(transitions).containsExactly("ACCEPTED", "SCHEDULED", "PURGED", "COMPLETED");
      assertThat(history.path("records").get(3).path("details").path("version").asLong())
          .isEqualTo(completed.get(0).getModelVersion());

      Path config = dir.resolve("streams.properties");
      Properties properties = new Properties();
      pipeline.streamsSettings().kafka().forEach((k, v) -> properties.put(k, v.toString()));
      for (Topic<?, ?> topic : Topic.all()) {
        properties.put(topic.nameKey(), pipeline.topic(topic));
      }
      try (Writer out = Files.newBufferedWriter(config)) {
        properties.store(out, null);
      }
      Verified intact = verify(config, null);
      assertThat(intact.exit()).as(intact.output()).isZero();
      assertThat(intact.output()).contains("verified: 8 records of 2 requests");

      List<ConsumerRecord<String, byte[]>> records =
          environment.consume(
              pipeline.topic(Topic.DELETION_AUDIT),
              8,
              new ByteArrayDeserializer(),
              Duration.ofSeconds(30));
      String flipped = copy(environment, records, 2, true);
      Verified changed = verify(config, flipped);
      assertThat(changed.exit()).isEqualTo(1);
      assertThat(changed.output())
          .contains("partition 0 offset 2")
          .containsAnyOf("mac does not match its content", "cannot be read");

      String removed = copy(environment, records, 1, false);
      Verified cut = verify(config, removed);
      assertThat(cut.exit()).isEqualTo(1);
      assertThat(cut.output()).contains("record(s) missing");
    }
  }

  private static JsonNode history(int port, String requestId) throws Exception {
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + port + "/requests/" + requestId + "/history"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  /**
   * The audit records copied in order to a one-partition topic of their own, the record at {@code
   * index} with a byte flipped in the middle of its value, or left out.
   */
  private static String copy(
      TestEnvironment environment,
      List<ConsumerRecord<String, byte[]>> records,
      int index,
      boolean flip)
      throws Exception {
    List<ConsumerRecord<String, byte[]>> ordered = new ArrayList<>(records);
    ordered.sort(
        java.util.Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    String topic = environment.uniqueTopic("tampered-audit");
    environment.createTopics(topic);
    try (KafkaProducer<String, byte[]> producer = environment.producer(new ByteArraySerializer())) {
      for (int i = 0; i < ordered.size(); i++) {
        byte[] value = ordered.get(i).value().clone();
        if (i == index) {
          if (!flip) {
            continue;
          }
          value[value.length / 2] ^= 0x01;
        }
        producer.send(new ProducerRecord<>(topic, ordered.get(i).key(), value)).get();
      }
    }
    return topic;
  }

  private record Verified(int exit, String output) {}

  private static Verified verify(Path config, String topic) {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      List<String> args = new ArrayList<>(List.of("verify", "--config", config.toString()));
      if (topic != null) {
        args.addAll(List.of("--topic", topic));
      }
      exit = new CommandLine(new AuditCommand()).execute(args.toArray(String[]::new));
    } finally {
      System.setOut(out);
    }
    return new Verified(exit, printed.toString(StandardCharsets.UTF_8));
  }
}
