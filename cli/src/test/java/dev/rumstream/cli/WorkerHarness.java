package dev.rumstream.cli;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.StandInRecords;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A worker's world on a real broker and registry: an embedded pipeline with only a worker (not
 * started: a test starts it in this JVM or as a process), its own topics, a model store with an
 * (untrained, so quick) version 0 of a Fashion-MNIST model, jobs to send, and the worker's outputs
 * to read.
 */
final class WorkerHarness implements AutoCloseable {
  static final String MODEL = "crash-test";

  final TestEnvironment environment;
  final EmbeddedPipeline pipeline;
  final Map<String, String> settings;
  final ModelStore store;
  private final RegistryClient registry;
  private final KafkaProducer<String, SpecificRecord> producer;

  WorkerHarness(TestEnvironment environment) {
    this(environment, Map.of());
  }

  /** With worker settings of the test's own over the harness's. */
  WorkerHarness(TestEnvironment environment, Map<String, String> workerSettings) {
    this.environment = environment;
    Map<String, String> worker =
        new HashMap<>(
            Map.of(
                "rumstream.job.default.hp.retain_count", "2000",
                "rumstream.eval.mia.shadow.size", "500",
                "rumstream.eval.retain.sample", "2000",
                "rumstream.job.retry.backoff", "500ms",
                "rumstream.store.purge.grace", "1s"));
    worker.putAll(workerSettings);
    pipeline =
        EmbeddedPipeline.on(environment.bootstrapServers(), environment.schemaRegistryUrl())
            .worker(worker)
            .create();
    settings = pipeline.workerSettings();
    store = pipeline.store();
    registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));
    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of(), false);
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", environment.bootstrapServers(), "enable.idempotence", true),
            new StringSerializer(),
            serializer);
  }

  String topic(Topic<?, ?> topic) {
    return pipeline.topic(topic);
  }

  /**
   * Stores version 0: a freshly initialized small CNN (training quality does not matter to these
   * tests).
   */
  VersionManifest storeVersionZero() {
    return pipeline.storeUntrainedVersionZero(MODEL);
  }

  /** Version 0 trained for real (one epoch, cached in {@code cache}), published with its scores. */
  VersionManifest storeTrainedVersionZero(Path cache) {
    return pipeline.storeTrainedVersionZero(cache, MODEL, 1);
  }

  /** The jobs of one refined forget set, as the streams app emits them. */
  static List<UnlearnJob> forgetSet(
      String forgetSetId, List<String> requestIds, long firstExample, int epochs) {
    return StandInRecords.refinedJobs(MODEL, forgetSetId, requestIds, firstExample, epochs);
  }

  void send(List<UnlearnJob> jobs) throws Exception {
    for (UnlearnJob job : jobs) {
      producer.send(new ProducerRecord<>(topic(Topic.UNLEARN_JOBS), MODEL, job)).get();
    }
  }

  List<ModelVersion> versions(int atLeast) {
    return values(
        topic(Topic.MODEL_VERSIONS),
        atLeast,
        AvroDeserializer.forClass(ModelVersion.class, registry));
  }

  /** The raw records on a topic of the harness, read for a few seconds (to show there are none). */
  List<ConsumerRecord<String, byte[]>> records(Topic<?, ?> topic) {
    return environment.consume(
        topic(topic),
        1,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        java.time.Duration.ofSeconds(3));
  }

  /** The version numbers announced PROMOTED so far (the topic read for a second). */
  java.util.Set<Long> promotedVersions() {
    return environment
        .consume(
            topic(Topic.MODEL_VERSIONS),
            Integer.MAX_VALUE,
            AvroDeserializer.forClass(ModelVersion.class, registry),
            java.time.Duration.ofSeconds(1))
        .stream()
        .map(ConsumerRecord::value)
        .filter(v -> v.getStatus() == dev.rumstream.avro.VersionStatus.PROMOTED)
        .map(ModelVersion::getVersion)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** Every record of the model's memorization scores (a null value is a tombstone). */
  List<ConsumerRecord<String, MemorizationScore>> scores(int atLeast) {
    return environment.consume(
        topic(Topic.MEMORIZATION_SCORES),
        atLeast,
        AvroDeserializer.forClass(MemorizationScore.class, registry));
  }

  List<DeletionReceipt> receipts(int atLeast) {
    return receipts(atLeast, environment.patience());
  }

  /** The receipts, waiting up to {@code within} for a slow job (a retrain) to finish. */
  List<DeletionReceipt> receipts(int atLeast, java.time.Duration within) {
    return environment
        .consume(
            topic(Topic.DELETION_RECEIPTS),
            atLeast,
            AvroDeserializer.forClass(DeletionReceipt.class, registry),
            within)
        .stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  private <V> List<V> values(
      String topic, int atLeast, org.apache.kafka.common.serialization.Deserializer<V> reader) {
    return environment.consume(topic, atLeast, reader).stream().map(ConsumerRecord::value).toList();
  }

  @Override
  public void close() {
    producer.close();
    pipeline.close();
  }
}
