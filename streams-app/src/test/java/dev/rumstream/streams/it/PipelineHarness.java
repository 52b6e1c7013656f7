package dev.rumstream.streams.it;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.config.Settings;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.streams.TopicSetup;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.StandInRecords;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The deletion topology on a real broker and registry, with topics and an application id of its
 * own: publishes a model, sends requests, starts and stops service instances, and reads every
 * output topic.
 */
final class PipelineHarness implements AutoCloseable {
  static final String MODEL = "fmnist-it";
  static final long DATASET_SIZE = 2_000;

  final TestEnvironment environment;
  final Settings settings;
  private final Map<String, String> values = new HashMap<>();
  final TopologyConfig config;
  final RegistryClient registry;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroSerializer<IndexedRecord> serializer;
  private final Path stateDir;

  PipelineHarness(TestEnvironment environment, Map<String, String> overrides) throws Exception {
    this.environment = environment;
    String run = UUID.randomUUID().toString().substring(0, 8);
    stateDir = Files.createTempDirectory("rumstream-it-");
    values.putAll(TopicNames.suffixedSettings("-" + run));
    values.put("bootstrap.servers", environment.bootstrapServers());
    values.put("schema.registry.url", environment.schemaRegistryUrl());
    values.put("application.id", "rumstream-it-" + run);
    values.put("state.dir", stateDir.toString());
    values.put("commit.interval.ms", "200");
    values.put("statestore.cache.max.bytes", "0");
    values.put("rumstream.http.port", "0");
    values.put("rumstream.dev.mode", "true");
    values.put("rumstream.window.size", "1h");
    values.put("rumstream.window.max.wait", "3s");
    values.put("rumstream.window.flush.interval", "500ms");
    values.putAll(overrides);
    settings = Settings.of(StreamsApp.DEFAULTS, values);
    config = TopologyConfig.from(settings);
    TopicSetup.ensure(settings.kafka(), config.topics(), 2, (short) 1);
    registry = new RegistryClient(RegistryConfig.from(settings.kafka()));
    serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of(), false);
    producer = environment.producer(new ByteArraySerializer());
  }

  /** The settings this harness runs instances with, to vary per instance. */
  Map<String, String> values() {
    return Map.copyOf(values);
  }

  String topic(Topic<?, ?> topic) {
    return config.topic(topic);
  }

  /**
   * Publishes version 0 of the model and a CONFIDENCE score for every even example (odd ones stay
   * unscored).
   */
  void publishModel() throws Exception {
    Instant trainedAt = Instant.now().minusSeconds(3600);
    send(
        topic(Topic.MODEL_VERSIONS),
        MODEL,
        StandInRecords.versionZero(MODEL, DATASET_SIZE, trainedAt));
    ScoreDistribution distribution = new ScoreDistribution(DATASET_SIZE, 0.33, 0.5, 0.66);
    for (long id = 0; id < DATASET_SIZE; id += 2) {
      send(
          topic(Topic.MEMORIZATION_SCORES),
          Keys.score(MODEL, id),
          StandInRecords.confidence(MODEL, id, (id % 100) / 100.0, distribution, trainedAt));
    }
    producer.flush();
  }

  static DeletionRequest request(String requestId, List<Long> exampleIds) {
    return StandInRecords.erasure(requestId, MODEL, exampleIds, Instant.now(), "it");
  }

  byte[] bytes(DeletionRequest request) {
    return serializer.serialize(topic(Topic.DELETION_REQUESTS), request);
  }

  void send(String topic, String key, IndexedRecord value) {
    producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, value)));
  }

  /** Sends without waiting; {@link #flush()} waits for everything sent so far. */
  void sendRaw(String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic(Topic.DELETION_REQUESTS), key, value));
  }

  void flush() {
    producer.flush();
  }

  ServiceShell<StreamsService> startService() throws Exception {
    return StreamsService.shell(settings).start();
  }

  /**
   * An instance on a "new machine": empty local state, so it restores everything from the
   * changelogs.
   */
  ServiceShell<StreamsService> startServiceWithEmptyState() throws Exception {
    Map<String, String> moved = new HashMap<>(values);
    moved.put("state.dir", Files.createTempDirectory("rumstream-it-moved-").toString());
    return StreamsService.shell(Settings.of(StreamsApp.DEFAULTS, moved)).start();
  }

  static void awaitRunning(ServiceShell<StreamsService> shell) throws InterruptedException {
    shell.service().awaitReady(Duration.ofMinutes(2));
  }

  List<DeletionReceipt> receipts(int atLeast) {
    return values(
        topic(Topic.DELETION_RECEIPTS),
        atLeast,
        AvroDeserializer.forClass(DeletionReceipt.class, registry));
  }

  List<ForgetSet> forgetSets(Function<List<ForgetSet>, Boolean> complete) {
    return until(
        topic(Topic.FORGET_SETS), complete, AvroDeserializer.forClass(ForgetSet.class, registry));
  }

  List<UnlearnJob> jobs(int atLeast) {
    return values(
        topic(Topic.UNLEARN_JOBS), atLeast, AvroDeserializer.forClass(UnlearnJob.class, registry));
  }

  List<ConsumerRecord<String, byte[]>> deadLetters(int atLeast) {
    return environment.consume(
        topic(Topic.DELETION_REQUESTS_DLQ), atLeast, new ByteArrayDeserializer());
  }

  private <V> List<V> values(
      String topic, int atLeast, org.apache.kafka.common.serialization.Deserializer<V> reader) {
    return environment.consume(topic, atLeast, reader).stream().map(ConsumerRecord::value).toList();
  }

  /**
   * Reads the topic again and again (from the start) until {@code complete} says what arrived is
   * everything.
   */
  private <V> List<V> until(
      String topic,
      Function<List<V>, Boolean> complete,
      org.apache.kafka.common.serialization.Deserializer<V> reader) {
    long deadline = System.nanoTime() + environment.patience().toNanos();
    List<V> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen =
          environment.consume(topic, Integer.MAX_VALUE, reader, Duration.ofSeconds(2)).stream()
              .map(ConsumerRecord::value)
              .toList();
      if (complete.apply(seen)) {
        return seen;
      }
    }
    return seen;
  }

  @Override
  public void close() {
    producer.close();
  }
}
