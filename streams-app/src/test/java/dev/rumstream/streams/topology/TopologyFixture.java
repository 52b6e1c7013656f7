package dev.rumstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.config.Settings;
import dev.rumstream.localstack.EmbeddedSchemaRegistry;
import dev.rumstream.serde.ContractRegistration;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.StandInRecords;
import dev.rumstream.topics.Topic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A {@link TopologyTestDriver} over the deletion topology with an in-JVM schema registry, a model
 * "fmnist" of 1,000 examples and the topics as test topics. Wall clock and event time start at
 * {@link #T0}.
 */
final class TopologyFixture implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
  static final String MODEL = "fmnist";

  final EmbeddedSchemaRegistry registry;
  final TopologyConfig config;
  final ContractSerdes serdes;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<String, DeletionRequest> requests;
  final TestInputTopic<String, byte[]> rawRequests;
  final TestInputTopic<String, MemorizationScore> scores;
  final TestInputTopic<String, ModelVersion> models;
  final TestOutputTopic<String, DeletionReceipt> receipts;
  final TestOutputTopic<String, ForgetSet> forgetSets;
  final TestOutputTopic<String, UnlearnJob> jobs;
  final TestOutputTopic<byte[], byte[]> deadLetters;
  final TestOutputTopic<String, AuditRecord> audit;
  private final Path stateDir;
  private Instant wallClock = T0;

  TopologyFixture(Map<String, String> overrides) throws Exception {
    registry = EmbeddedSchemaRegistry.start(0);
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "schema.registry.url", registry.url(),
                "rumstream.window.size", "5m",
                "rumstream.window.grace", "30s",
                "rumstream.window.max.wait", "10m",
                "rumstream.window.flush.interval", "5s"));
    settings.putAll(overrides);
    Settings all = Settings.of(StreamsApp.DEFAULTS, settings);
    config = TopologyConfig.from(all);
    // The services do not register contracts (auto.register.schemas=false): the deploy step does.
    new ContractRegistration(new RegistryClient(RegistryConfig.forUrl(registry.url())))
        .registerAll(config.topics());
    serdes = ContractSerdes.of(all.string("rumstream.value.serde"), all.kafka());
    DeletionMetrics metrics = new DeletionMetrics(meters, () -> wallClock.toEpochMilli());

    Properties props = new Properties();
    props.putAll(all.kafka());
    stateDir = Files.createTempDirectory("rumstream-ttd-");
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rumstream-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
    props.put(DeadLetters.TOPIC_CONFIG, config.topic(Topic.DELETION_REQUESTS_DLQ));
    props.put(DeadLetters.METRICS_CONFIG, metrics);
    driver = new TopologyTestDriver(DeletionTopology.build(config, serdes, metrics), props, T0);

    requests = input(Topic.DELETION_REQUESTS, serdes.requests().serializer());
    rawRequests = input(Topic.DELETION_REQUESTS, new ByteArraySerializer());
    scores = input(Topic.MEMORIZATION_SCORES, serdes.scores().serializer());
    models = input(Topic.MODEL_VERSIONS, serdes.modelVersions().serializer());
    receipts = output(Topic.DELETION_RECEIPTS, serdes.receipts().deserializer());
    forgetSets = output(Topic.FORGET_SETS, serdes.forgetSets().deserializer());
    jobs = output(Topic.UNLEARN_JOBS, serdes.jobs().deserializer());
    audit = output(Topic.DELETION_AUDIT, serdes.audit().deserializer());
    deadLetters =
        driver.createOutputTopic(
            config.topic(Topic.DELETION_REQUESTS_DLQ),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  /** The receipt that status queries find for the request, decoded from the receipts store. */
  DeletionReceipt storedReceipt(String requestId) {
    byte[] stored = driver.<String, byte[]>getKeyValueStore(StoreNames.RECEIPTS).get(requestId);
    return stored == null
        ? null
        : serdes
            .receipts()
            .deserializer()
            .deserialize(config.topic(Topic.DELETION_RECEIPTS), stored);
  }

  /** A String-keyed input topic whose records are stamped T0 unless they say otherwise. */
  private <V> TestInputTopic<String, V> input(Topic topic, Serializer<V> values) {
    return driver.createInputTopic(
        config.topic(topic), new StringSerializer(), values, T0, Duration.ZERO);
  }

  private <V> TestOutputTopic<String, V> output(Topic topic, Deserializer<V> values) {
    return driver.createOutputTopic(config.topic(topic), new StringDeserializer(), values);
  }

  TopologyFixture() throws Exception {
    this(Map.of());
  }

  /** The default fixture with {@link #MODEL} published, a dataset of 1,000 examples. */
  static TopologyFixture withModel() throws Exception {
    TopologyFixture fixture = new TopologyFixture();
    fixture.model(MODEL, 1000);
    return fixture;
  }

  /** Publishes model version 0 with a dataset of {@code datasetSize} examples. */
  void model(String modelId, long datasetSize) {
    models.pipeInput(
        modelId, StandInRecords.versionZero(modelId, datasetSize, T0.minusSeconds(3600)));
  }

  /**
   * Publishes a CONFIDENCE score (falls as memorization rises) with training tertiles 0.5 and 0.9.
   */
  void confidence(String modelId, long exampleId, double score) {
    scores.pipeInput(
        Keys.score(modelId, exampleId),
        StandInRecords.confidence(
            modelId,
            exampleId,
            score,
            new ScoreDistribution(1000L, 0.5, 0.8, 0.9),
            T0.minusSeconds(3600)));
  }

  static DeletionRequest request(String requestId, Instant requestedAt, Long... exampleIds) {
    return DeletionRequest.newBuilder()
        .setRequestId(requestId)
        .setModelId(MODEL)
        .setSubjectId("subject-of-" + requestId)
        .setExampleIds(List.of(exampleIds))
        .setReason(DeletionReason.GDPR_ERASURE)
        .setRequestedAt(requestedAt)
        .setDeadline(null)
        .setReference(null)
        .setSource("test")
        .build();
  }

  /**
   * Sends a request as its sender would at its requestedAt: the wall clock moves there first if it
   * is later.
   */
  void send(DeletionRequest request) {
    if (request.getRequestedAt().isAfter(wallClock)) {
      advanceWallClock(Duration.between(wallClock, request.getRequestedAt()));
    }
    requests.pipeInput(request.getModelId(), request, request.getRequestedAt());
  }

  /** Moves the wall clock on; wall-clock punctuators that fall due run. */
  void advanceWallClock(Duration duration) {
    wallClock = wallClock.plus(duration);
    driver.advanceWallClockTime(duration);
  }

  double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The value of a record's header as text; the header must be there. */
  static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as("header %s", name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
    registry.close();
    Serdes.String().close();
    try {
      // The driver empties its state directory but leaves it.
      Utils.delete(stateDir.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
