package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.StandInRecords;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.ModelStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric the Grafana dashboard and the alert rules use is one a running application really
 * exposes: the streams app runs here (in this JVM, on the test environment's broker and registry),
 * gets traffic of every kind (accepted, folded, duplicate, rejected, undeserializable; forget sets
 * closing into jobs) so that its labelled counters exist, and its {@code /metrics} is scraped. The
 * unlearn worker runs here too, beside it (on Fashion-MNIST, with an untrained small CNN as version
 * 0 of its model so that its jobs are quick): it applies one forget set's three jobs so that its
 * per-model gauges, its job-duration histogram and its receipts counter exist, and its {@code
 * /metrics} is scraped.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class ExposedMetricsIT {
  /** Series Prometheus itself adds to every scrape target. */
  static final Set<String> SCRAPE_SERIES =
      Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

  private static final String MODEL = "fmnist-deploy";
  private static final long DATASET_SIZE = 1_000;

  @Test
  void everyMetricTheDashboardAndTheAlertRulesUseIsExposed(TestEnvironment environment)
      throws Exception {
    Map<String, Set<String>> usedBy = Expressions.metricNamesBySource();
    assertThat(usedBy).as("metric names used by the dashboard and the rules").isNotEmpty();
    Set<String> streamsMetrics = new TreeSet<>();
    usedBy.keySet().stream()
        .filter(name -> !isWorkerMetric(name) && !SCRAPE_SERIES.contains(name))
        .forEach(streamsMetrics::add);
    assertThat(streamsMetrics).as("the dashboard shows the streams app").isNotEmpty();
    assertThat(usedBy.keySet())
        .as("the dashboard shows the worker")
        .anyMatch(ExposedMetricsIT::isWorkerMetric);

    Set<String> streamsExposed;
    Set<String> workerExposed;
    // The worker applies its jobs while the streams app waits for its metrics to appear.
    try (Worker worker = Worker.start(environment)) {
      streamsExposed = scrapeTheStreamsApp(environment, streamsMetrics);
      workerExposed = worker.scrapeWhenItsJobsAreDone();
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(
        Path.of("target/streams-app-metric-names.txt"), String.join("\n", streamsExposed) + "\n");
    Files.writeString(
        Path.of("target/worker-metric-names.txt"), String.join("\n", workerExposed) + "\n");

    assertThat(missing(usedBy, streamsExposed, workerExposed))
        .as(
            "metrics used by the dashboard or the rules (-> where) that no application exposes; the streams app "
                + "exposed: target/streams-app-metric-names.txt, the worker: target/worker-metric-names.txt")
        .isEmpty();
  }

  static boolean isWorkerMetric(String name) {
    return name.startsWith("rumstream_worker_");
  }

  /** The names used (-> where) that the application they belong to does not expose. */
  static Map<String, Set<String>> missing(
      Map<String, Set<String>> usedBy, Set<String> streamsExposed, Set<String> workerExposed) {
    Map<String, Set<String>> missing = new TreeMap<>();
    usedBy.forEach(
        (name, sources) -> {
          Set<String> exposed = isWorkerMetric(name) ? workerExposed : streamsExposed;
          boolean known =
              SCRAPE_SERIES.contains(name)
                  || exposed.contains(name)
                  || exposed.contains(PromQl.family(name));
          if (!known) {
            missing.put(name, sources);
          }
        });
    return missing;
  }

  /**
   * Runs the streams app until its scrape shows every name wanted (or the patience runs out);
   * returns the names.
   */
  private static Set<String> scrapeTheStreamsApp(TestEnvironment environment, Set<String> wanted)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (EmbeddedPipeline pipeline =
            EmbeddedPipeline.on(environment.bootstrapServers(), environment.schemaRegistryUrl())
                .streams(
                    Map.of(
                        "commit.interval.ms", "200",
                        "statestore.cache.max.bytes", "0",
                        "rumstream.window.size", "1h",
                        "rumstream.window.max.wait", "2s",
                        "rumstream.window.flush.interval", "500ms"))
                .create();
        Traffic traffic = new Traffic(environment, pipeline)) {
      traffic.publishModel();
      ServiceShell<StreamsService> streams = pipeline.startStreams();
      traffic.sendEveryKindOfRequest();

      URI metricsUri = URI.create("http://127.0.0.1:" + streams.port() + "/metrics");
      long deadline = System.nanoTime() + environment.patience().toNanos();
      Set<String> exposed;
      List<String> missingBefore = null;
      do {
        Thread.sleep(500);
        String body =
            http.send(
                    HttpRequest.newBuilder(metricsUri).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .body();
        exposed = sampleNames(body);
        Set<String> seen = exposed;
        List<String> missing =
            wanted.stream()
                .filter(name -> !seen.contains(name) && !seen.contains(PromQl.family(name)))
                .toList();
        if (!missing.equals(missingBefore)) {
          // Task-level Kafka Streams metrics appear only at Micrometer's next refresh of the
          // client's metrics (60 s).
          System.out.println("not exposed yet: " + missing);
          missingBefore = missing;
        }
      } while (!covers(exposed, wanted) && System.nanoTime() < deadline);
      return exposed;
    }
  }

  private static boolean covers(Set<String> exposed, Set<String> wanted) {
    return wanted.stream()
        .allMatch(name -> exposed.contains(name) || exposed.contains(PromQl.family(name)));
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

  /**
   * An unlearn worker on the run's own topics (created here) with a model store holding an
   * untrained small CNN as version 0, its HTTP server on a free port, and one forget set's jobs
   * (NONE, FINE_TUNE and SALUN, one epoch each) waiting for it.
   */
  private static final class Worker implements AutoCloseable {
    static final String MODEL = "fmnist-deploy-worker";
    private static final Pattern COMPLETED =
        Pattern.compile(
            "(?m)^rumstream_worker_jobs_total\\{[^}]*outcome=\"completed\"[^}]*}\\s+(\\S+)");
    private static final Pattern FAILED =
        Pattern.compile(
            "(?m)^rumstream_worker_jobs_total\\{[^}]*outcome=\"failed\"[^}]*}\\s+(\\S+)");

    private final EmbeddedPipeline pipeline;
    private final ModelStore store;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Worker(TestEnvironment environment) throws Exception {
      String run = UUID.randomUUID().toString().substring(0, 8);
      pipeline =
          EmbeddedPipeline.on(environment.bootstrapServers(), environment.schemaRegistryUrl())
              .worker(
                  Map.of(
                      "rumstream.eval.retain.sample", "1000",
                      "rumstream.eval.mia.shadow.size", "300",
                      "rumstream.job.default.hp.retain_count", "500",
                      "rumstream.job.retry.backoff", "500ms",
                      "rumstream.shutdown.timeout", "10s"))
              .create();
      store = pipeline.store();
      pipeline.storeUntrainedVersionZero(MODEL);

      RegistryClient registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));
      AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry);
      serializer.configure(Map.of(), false);
      try (KafkaProducer<String, SpecificRecord> producer = environment.producer(serializer)) {
        for (UnlearnJob job :
            StandInRecords.refinedJobs(
                MODEL, "deploy-it-set-" + run, List.of("deploy-it-a", "deploy-it-b"), 100, 1)) {
          producer.send(new ProducerRecord<>(pipeline.topic(Topic.UNLEARN_JOBS), MODEL, job)).get();
        }
      }
      port = pipeline.startWorker(false).port();
    }

    static Worker start(TestEnvironment environment) throws Exception {
      return new Worker(environment);
    }

    /**
     * Waits until the worker has completed all three jobs (so every metric it has exists), checks
     * its health endpoints, and returns the names its {@code /metrics} shows.
     */
    Set<String> scrapeWhenItsJobsAreDone() throws Exception {
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      String body = get("/metrics").body();
      while (count(COMPLETED, body) < 3 && System.nanoTime() < deadline) {
        Thread.sleep(500);
        body = get("/metrics").body();
      }
      assertThat(count(COMPLETED, body))
          .as(
              "jobs the worker completed (failed: %s; versions stored: %s)",
              count(FAILED, body), store.versions(MODEL).size())
          .isEqualTo(3.0);
      assertThat(get("/health/live").statusCode()).as("/health/live").isEqualTo(200);
      HttpResponse<String> ready = get("/health/ready");
      assertThat(ready.statusCode()).as("/health/ready: %s", ready.body()).isEqualTo(200);
      return sampleNames(body);
    }

    private static double count(Pattern series, String exposition) {
      Matcher matcher = series.matcher(exposition);
      return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private HttpResponse<String> get(String path) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      pipeline.close();
    }
  }

  /** A model, its scores and requests of every kind, on the run's own topics. */
  private static final class Traffic implements AutoCloseable {
    private final EmbeddedPipeline pipeline;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<IndexedRecord> serializer;

    Traffic(TestEnvironment environment, EmbeddedPipeline pipeline) {
      this.pipeline = pipeline;
      RegistryClient registry =
          new RegistryClient(
              RegistryConfig.from(Map.of("schema.registry.url", environment.schemaRegistryUrl())));
      serializer = new AvroSerializer<>(registry);
      serializer.configure(Map.of(), false);
      producer = environment.producer(new ByteArraySerializer());
    }

    /** Version 0 of the model and a score for every even example (odd ones stay unscored: HIGH). */
    void publishModel() {
      Instant trainedAt = Instant.now().minusSeconds(3600);
      send(Topic.MODEL_VERSIONS, MODEL, StandInRecords.versionZero(MODEL, DATASET_SIZE, trainedAt));
      ScoreDistribution distribution = new ScoreDistribution(DATASET_SIZE, 0.33, 0.5, 0.66);
      for (long id = 0; id < 100; id += 2) {
        send(
            Topic.MEMORIZATION_SCORES,
            Keys.score(MODEL, id),
            StandInRecords.confidence(MODEL, id, (id % 100) / 100.0, distribution, trainedAt));
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
      producer.send(
          new ProducerRecord<>(
              pipeline.topic(Topic.DELETION_REQUESTS),
              MODEL,
              "not avro".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }

    private static DeletionRequest request(String requestId, List<Long> exampleIds) {
      return StandInRecords.erasure(requestId, MODEL, exampleIds, Instant.now(), "deploy-it");
    }

    private void send(Topic<?, ?> topic, String key, IndexedRecord value) {
      String name = pipeline.topic(topic);
      producer.send(new ProducerRecord<>(name, key, serializer.serialize(name, value)));
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
