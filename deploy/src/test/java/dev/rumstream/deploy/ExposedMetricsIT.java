package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ProxyKind;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.config.Settings;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.streams.DeletionService;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.TopicSetup;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.streams.http.StatusServer;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric the Grafana dashboard and the alert rules use is one a running application really exposes: the
 * streams app runs here (in this JVM, on the test environment's broker and registry), gets traffic of every kind
 * (accepted, folded, duplicate, rejected, undeserializable; forget sets closing into jobs) so that its labelled
 * counters exist, and its {@code /metrics} is scraped.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class ExposedMetricsIT {
  /**
   * The worker's metrics as its specification names them, until the worker service exists. Then scrape it like the
   * streams app below (start its service with a PrometheusMeterRegistry and HTTP on port 0, give it one job) and
   * replace this set by that scrape.
   */
  static final Set<String> WORKER_METRICS_UNTIL_SCRAPED = Set.of(
      "rumstream_worker_jobs_total",
      "rumstream_worker_job_duration_seconds",
      "rumstream_worker_job_duration_seconds_bucket",
      "rumstream_worker_job_duration_seconds_sum",
      "rumstream_worker_job_duration_seconds_count",
      "rumstream_worker_examples_unlearned_total",
      "rumstream_worker_consumer_lag",
      "rumstream_worker_receipts_completed_total",
      "rumstream_worker_model_version",
      "rumstream_worker_forget_accuracy",
      "rumstream_worker_retain_accuracy",
      "rumstream_worker_test_accuracy",
      "rumstream_worker_mia",
      "rumstream_worker_deadline_slack_seconds",
      "rumstream_worker_device_info");

  /** Series Prometheus itself adds to every scrape target. */
  static final Set<String> SCRAPE_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

  private static final String MODEL = "fmnist-deploy";
  private static final long DATASET_SIZE = 1_000;

  @Test
  void everyMetricTheDashboardAndTheAlertRulesUseIsExposed(TestEnvironment environment) throws Exception {
    Map<String, Set<String>> usedBy = Expressions.metricNamesBySource();
    assertThat(usedBy).as("metric names used by the dashboard and the rules").isNotEmpty();
    Set<String> streamsMetrics = new TreeSet<>();
    usedBy.keySet().stream().filter(name -> !name.startsWith("rumstream_worker_") && !SCRAPE_SERIES.contains(name))
        .forEach(streamsMetrics::add);
    assertThat(streamsMetrics).as("the dashboard shows the streams app").isNotEmpty();

    Set<String> exposed = scrapeTheStreamsApp(environment, streamsMetrics);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/streams-app-metric-names.txt"), String.join("\n", exposed) + "\n");

    Map<String, Set<String>> missing = new TreeMap<>();
    usedBy.forEach((name, sources) -> {
      boolean known = SCRAPE_SERIES.contains(name)
          || (name.startsWith("rumstream_worker_")
              ? WORKER_METRICS_UNTIL_SCRAPED.contains(name)
              : exposed.contains(name) || exposed.contains(PromQl.family(name)));
      if (!known) {
        missing.put(name, sources);
      }
    });
    assertThat(missing)
        .as("metrics used by the dashboard or the rules (-> where) that no application exposes; the streams app "
            + "exposed: target/streams-app-metric-names.txt")
        .isEmpty();
  }

  /** Runs the streams app until its scrape shows every name wanted (or the patience runs out); returns the names. */
  private static Set<String> scrapeTheStreamsApp(TestEnvironment environment, Set<String> wanted) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> values = new HashMap<>();
    for (Topic topic : Topic.values()) {
      values.put("rumstream.topic." + topic.name().toLowerCase().replace('_', '.'), topic.defaultName() + "-" + run);
    }
    values.put("bootstrap.servers", environment.bootstrapServers());
    values.put("schema.registry.url", environment.schemaRegistryUrl());
    values.put("application.id", "rumstream-deploy-it-" + run);
    values.put("state.dir", Files.createTempDirectory("rumstream-deploy-it-").toString());
    values.put("commit.interval.ms", "200");
    values.put("statestore.cache.max.bytes", "0");
    values.put("rumstream.http.port", "0");
    values.put("rumstream.window.size", "1h");
    values.put("rumstream.window.max.wait", "2s");
    values.put("rumstream.window.flush.interval", "500ms");
    Settings settings = Settings.of(StreamsApp.DEFAULTS, values);
    TopologyConfig config = TopologyConfig.from(settings);
    TopicSetup.ensure(settings.kafka(), config.topics(), 1, (short) 1);

    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpClient http = HttpClient.newHttpClient();
    try (Traffic traffic = new Traffic(environment, config);
        DeletionService service = new DeletionService(settings, metrics);
        StatusServer server = new StatusServer(0, service, metrics)) {
      traffic.publishModel();
      server.start();
      service.start();
      awaitRunning(service);
      traffic.sendEveryKindOfRequest();

      URI metricsUri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
      long deadline = System.nanoTime() + environment.patience().toNanos();
      Set<String> exposed;
      List<String> missingBefore = null;
      do {
        Thread.sleep(500);
        String body = http.send(HttpRequest.newBuilder(metricsUri).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        exposed = sampleNames(body);
        Set<String> seen = exposed;
        List<String> missing = wanted.stream()
            .filter(name -> !seen.contains(name) && !seen.contains(PromQl.family(name))).toList();
        if (!missing.equals(missingBefore)) {
          // Task-level Kafka Streams metrics appear only at Micrometer's next refresh of the client's metrics (60 s).
          System.out.println("not exposed yet: " + missing);
          missingBefore = missing;
        }
      } while (!covers(exposed, wanted) && System.nanoTime() < deadline);
      return exposed;
    }
  }

  private static boolean covers(Set<String> exposed, Set<String> wanted) {
    return wanted.stream().allMatch(name -> exposed.contains(name) || exposed.contains(PromQl.family(name)));
  }

  /** The names of the samples in a Prometheus text exposition, plus their histogram families. */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      String name = line.substring(0, end);
      names.add(name);
      names.add(PromQl.family(name));
    }
    return names;
  }

  private static void awaitRunning(DeletionService service) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (service.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(service.state()).as("Kafka Streams state").isEqualTo(KafkaStreams.State.RUNNING);
  }

  /** A model, its scores and requests of every kind, on the run's own topics. */
  private static final class Traffic implements AutoCloseable {
    private final TopologyConfig config;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<IndexedRecord> serializer;

    Traffic(TestEnvironment environment, TopologyConfig config) {
      this.config = config;
      RegistryClient registry = new RegistryClient(RegistryConfig.from(
          Map.of("schema.registry.url", environment.schemaRegistryUrl())));
      serializer = new AvroSerializer<>(registry);
      serializer.configure(Map.of(), false);
      producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
    }

    /** Version 0 of the model and a score for every even example (odd ones stay unscored: HIGH). */
    void publishModel() {
      Instant trainedAt = Instant.now().minusSeconds(3600);
      send(Topic.MODEL_VERSIONS, MODEL, ModelVersion.newBuilder()
          .setModelId(MODEL).setVersion(0).setLocation("file:///models/" + MODEL + "/v0").setChecksum("00")
          .setSizeBytes(1).setArchitecture("small-cnn").setDatasetId("fashion-mnist").setDatasetSize(DATASET_SIZE)
          .setDeletedCount(0).setCreatedAt(trainedAt).build());
      ScoreDistribution distribution = new ScoreDistribution(DATASET_SIZE, 0.33, 0.5, 0.66);
      for (long id = 0; id < 100; id += 2) {
        send(Topic.MEMORIZATION_SCORES, Keys.score(MODEL, id), MemorizationScore.newBuilder()
            .setModelId(MODEL).setModelVersion(0).setExampleId(id).setProxy(ProxyKind.CONFIDENCE)
            .setScore((id % 100) / 100.0).setHigherIsMoreMemorized(false).setDistribution(distribution)
            .setDatasetId("fashion-mnist").setComputedAt(trainedAt).build());
      }
      producer.flush();
    }

    void sendEveryKindOfRequest() {
      // accepted, with a repeated id folded; low, medium, high and unscored examples
      send(Topic.DELETION_REQUESTS, MODEL, request("metrics-1", List.of(2L, 40L, 96L, 7L, 7L)));
      // a duplicate of it
      send(Topic.DELETION_REQUESTS, MODEL, request("metrics-1", List.of(2L, 40L, 96L, 7L, 7L)));
      // rejected: an id outside the model's dataset
      send(Topic.DELETION_REQUESTS, MODEL, request("metrics-2", List.of(DATASET_SIZE + 5)));
      // not a record at all: dead-lettered at deserialization
      producer.send(new ProducerRecord<>(config.topic(Topic.DELETION_REQUESTS), MODEL,
          "not avro".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }

    private static DeletionRequest request(String requestId, List<Long> exampleIds) {
      return DeletionRequest.newBuilder()
          .setRequestId(requestId).setModelId(MODEL).setSubjectId("subject-" + requestId).setExampleIds(exampleIds)
          .setReason(DeletionReason.GDPR_ERASURE).setRequestedAt(Instant.now()).setDeadline(null)
          .setReference(null).setSource("deploy-it").build();
    }

    private void send(Topic topic, String key, IndexedRecord value) {
      String name = config.topic(topic);
      producer.send(new ProducerRecord<>(name, key, serializer.serialize(name, value)));
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
