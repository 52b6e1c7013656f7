package dev.rumstream.cli;

import dev.rumstream.audit.AuditVerification;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.config.Settings;
import dev.rumstream.pipeline.Brokers;
import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import dev.rumstream.worker.lifecycle.GateResult;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on an embedded default: an in-JVM broker and registry (or external ones), the
 * streams app and a worker in this JVM, a trained Fashion-MNIST model (cached), a realistic stream
 * of deletion requests, and a report of what every forget set and sub-batch did.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Runs the whole system on Fashion-MNIST in one JVM and prints what unlearning did.")
final class Demo implements Callable<Integer> {
  static final String MODEL = "fashion-mnist-cnn";

  @Option(
      names = "--bootstrap-servers",
      description = "An external Kafka (default: an in-JVM broker).")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      description = "An external schema registry (default: an in-JVM one).")
  String schemaRegistryUrl;

  @Option(
      names = "--model-store",
      defaultValue = ".rumstream/models",
      description =
          "Where the trained original model is cached for the next run; each run unlearns on a copy of it "
              + "(default: ${DEFAULT-VALUE}).")
  Path modelStore;

  @Option(
      names = "--epochs",
      defaultValue = "3",
      description = "Training epochs of the original model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--requests",
      defaultValue = "60",
      description = "Distinct valid deletion requests to send (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--timeout",
      defaultValue = "8m",
      description = "How long to wait for every receipt (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed of the request stream (default: ${DEFAULT-VALUE}).")
  long seed;

  private TopicNames topics;

  @Override
  public Integer call() throws Exception {
    Instant started = Instant.now();
    Path scratch = Files.createTempDirectory("rumstream-demo-");
    if (bootstrapServers == null) {
      say("Starting an in-JVM Kafka broker");
    }
    try (Brokers brokers = Brokers.givenOrInJvm(bootstrapServers, schemaRegistryUrl, scratch)) {
      bootstrapServers = brokers.bootstrapServers();
      schemaRegistryUrl = brokers.registryUrl();
      say("Kafka at " + bootstrapServers + ", schema registry at " + schemaRegistryUrl);
      return run(scratch, started, brokers.brokerInJvm());
    }
  }

  private int run(Path scratch, Instant started, boolean brokerInJvm) throws Exception {
    String runId = Long.toString(System.currentTimeMillis(), 36);
    // On an external broker every run gets topics of its own, so a second run never reads the first
    // one's records.
    Map<String, String> topicSettings = TopicNames.suffixedSettings(brokerInJvm ? "" : "-" + runId);
    topics = TopicNames.of(topicSettings);
    // The trained original is cached in --model-store; each run unlearns from its own copy of it.
    try (EmbeddedPipeline pipeline =
        EmbeddedPipeline.on(bootstrapServers, schemaRegistryUrl)
            .topics(topicSettings)
            .streams(
                Map.of(
                    "application.id",
                    "rumstream-demo-" + runId,
                    "state.dir",
                    scratch.resolve("streams").toString(),
                    "commit.interval.ms",
                    "200",
                    "rumstream.window.size",
                    "5m",
                    "rumstream.window.max.examples",
                    Integer.toString(Math.max(20, requests * 5 / 2)),
                    "rumstream.window.max.wait",
                    "20s",
                    "rumstream.window.flush.interval",
                    "1s"))
            .worker(
                Map.of(
                    "rumstream.model.store", scratch.resolve("models").toString(),
                    "rumstream.worker.id", "demo-" + runId,
                    "group.id", "rumstream-demo-worker-" + runId))
            .create()) {
      ModelStore store = pipeline.store();
      VersionManifest v0 = pipeline.storeTrainedVersionZero(modelStore, MODEL, epochs);
      RequestStream stream = RequestStream.fromStoredScores(store, v0, requests, new Random(seed));
      long baseVersion = store.latest(MODEL).orElseThrow().version();
      pipeline.startStreams();
      pipeline.startWorker(false);
      say(
          "Streams app and worker running; sending "
              + stream.records().size()
              + " records ("
              + stream.valid().size()
              + " requests, "
              + stream.duplicates()
              + " duplicates, "
              + stream.malformed()
              + " malformed)");
      send(stream);
      Receipts receipts = awaitReceipts(stream, Settings.parseDuration(timeout));
      printReport(store, baseVersion, receipts, stream, started);
      AuditVerification.Report audit =
          AuditCommand.Verify.check(
              pipeline.streamsSettings().kafka(),
              topics.name(Topic.DELETION_AUDIT),
              topics.name(Topic.DELETION_RECEIPTS),
              pipeline.streamsSettings().string("rumstream.audit.key"));
      audit.problems().forEach(problem -> System.out.println("Audit problem: " + problem));
      System.out.printf(
          "Audit trail: %s, %d records of %d requests, %d COMPLETED%n",
          audit.verified() ? "verified" : "NOT verified",
          audit.records(),
          audit.requests(),
          audit.completed());
      return receipts.lost(stream) == 0
              && receipts.duplicatedCompletions() == 0
              && loadableOlderVersions(store) == 0
              && audit.verified()
          ? 0
          : 1;
    }
  }

  private void send(RequestStream stream) {
    RegistryClient client =
        new RegistryClient(RegistryConfig.from(Map.of("schema.registry.url", schemaRegistryUrl)));
    AvroSerializer<IndexedRecord> serializer = new AvroSerializer<>(client);
    serializer.configure(Map.of(), false);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrapServers),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (RequestStream.Record record : stream.records()) {
        byte[] value =
            record.request() == null
                ? record.raw()
                : serializer.serialize(topics.name(Topic.DELETION_REQUESTS), record.request());
        String key =
            record.request() == null || record.request().getRequestId() == null
                ? MODEL
                : Keys.request(MODEL, record.request().getRequestId());
        producer.send(new ProducerRecord<>(topics.name(Topic.DELETION_REQUESTS), key, value));
      }
    }
  }

  /** Which requests were accepted and rejected, and how many COMPLETED receipts each got. */
  record Receipts(
      java.util.Set<String> accepted,
      java.util.Set<String> rejected,
      Map<String, Integer> completions) {
    long completed() {
      return completions.size();
    }

    long lost(RequestStream stream) {
      return stream.valid().stream()
          .filter(r -> !completions.containsKey(r.getRequestId()))
          .count();
    }

    long duplicatedCompletions() {
      return completions.values().stream().filter(n -> n > 1).count();
    }
  }

  private Receipts awaitReceipts(RequestStream stream, Duration patience) {
    java.util.Set<String> accepted = new java.util.HashSet<>();
    java.util.Set<String> rejected = new java.util.HashSet<>();
    Map<String, Integer> completions = new HashMap<>();
    Instant deadline = Instant.now().plus(patience);
    long shown = -1;
    try (KafkaConsumer<String, DeletionReceipt> consumer = consumer(DeletionReceipt.class)) {
      consumer.subscribe(List.of(topics.name(Topic.DELETION_RECEIPTS)));
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, DeletionReceipt> record :
            consumer.poll(Duration.ofMillis(500))) {
          switch (record.value().getStatus()) {
            case ACCEPTED -> accepted.add(record.key());
            case REJECTED -> rejected.add(record.key());
            case COMPLETED -> completions.merge(record.key(), 1, Integer::sum);
            default -> {}
          }
        }
        long done =
            stream.valid().stream().filter(r -> completions.containsKey(r.getRequestId())).count();
        if (done != shown) {
          say(
              String.format(
                  "receipts: %d accepted, %d rejected, %d of %d completed",
                  accepted.size(), rejected.size(), done, stream.valid().size()));
          shown = done;
        }
        if (done == stream.valid().size() && rejected.size() >= stream.invalid()) {
          break;
        }
      }
    }
    return new Receipts(accepted, rejected, completions);
  }

  private void printReport(
      ModelStore store,
      long baseVersion,
      Receipts receipts,
      RequestStream stream,
      Instant started) {
    List<ForgetSet> sets = readAll(topics.name(Topic.FORGET_SETS), ForgetSet.class);
    Map<String, UnlearningMetrics> metricsByJob = new TreeMap<>();
    readAll(topics.name(Topic.UNLEARNING_METRICS), UnlearningMetrics.class)
        .forEach(m -> metricsByJob.put(m.getJobId() + "#" + m.getAttempt(), m));
    System.out.println();
    System.out.println(
        "Forget sets and sub-batches (accuracies as fractions; MIA = share of the forget examples the "
            + "attack calls non-member)");
    System.out.printf(
        "%-34s %-6s %-13s %8s %8s %8s %8s %7s %8s  %s%n",
        "job (try)",
        "level",
        "algorithm",
        "examples",
        "forget",
        "retain",
        "test",
        "MIA",
        "seconds",
        "gate");
    for (ForgetSet set : sets) {
      System.out.printf(
          "%s: %d requests, %d examples (%d unscored), closed by %s, cuts %s %.4f / %.4f%n",
          set.getForgetSetId(),
          set.getRequestIds().size(),
          set.getExamples().size(),
          set.getUnscoredCount(),
          set.getCloseReason(),
          set.getRefinement().getMethod(),
          set.getRefinement().getLowerCut(),
          set.getRefinement().getUpperCut());
      metricsByJob.values().stream()
          .filter(m -> set.getForgetSetId().equals(m.getForgetSetId()))
          .forEach(
              m ->
                  System.out.printf(
                      "  %-32s %-6s %-13s %8d %8s %8.4f %8.4f %7s %8.1f  %s%n",
                      m.getJobId() + " (" + m.getAttempt() + ")",
                      m.getLevel(),
                      m.getAlgorithm(),
                      m.getForgetSize(),
                      fraction(m.getForgetAccuracy()),
                      m.getRetainAccuracy(),
                      m.getTestAccuracy(),
                      fraction(m.getMia()),
                      m.getWallTimeMillis() / 1000.0,
                      gateOutcome(m)));
    }
    VersionManifest last = store.promoted(MODEL).orElseThrow();
    System.out.println();
    System.out.printf(
        "Model %s: version %d -> %d (promoted), %d examples deleted in all%n",
        MODEL, baseVersion, last.version(), last.deletedIds().size());
    System.out.printf(
        "Requests: %d sent as %d records (%d duplicates, %d malformed: %d unreadable, %d invalid)%n",
        stream.valid().size(),
        stream.records().size(),
        stream.duplicates(),
        stream.malformed(),
        stream.malformed() - stream.invalid(),
        stream.invalid());
    System.out.printf(
        "Receipts: accepted %d, rejected %d, completed %d, completed twice %d, lost %d%n",
        receipts.accepted().size(),
        receipts.rejected().size(),
        receipts.completed(),
        receipts.duplicatedCompletions(),
        receipts.lost(stream));
    System.out.printf(
        "Versions holding deleted data still loadable: %d%n", loadableOlderVersions(store));
    System.out.printf("Wall time: %ds%n", Duration.between(started, Instant.now()).toSeconds());
  }

  /**
   * PROMOTED, or REJECTED with the checks that failed, their values and margins; escalations say
   * so.
   */
  private static String gateOutcome(UnlearningMetrics m) {
    String outcome = m.getStatus().name();
    if (m.getGate() != null && !m.getGate().getPassed()) {
      outcome +=
          " "
              + m.getGate().getChecks().stream()
                  .filter(check -> !check.getPassed())
                  .map(
                      check ->
                          new GateResult.Check(
                                  check.getName(),
                                  check.getValue(),
                                  check.getLimit(),
                                  check.getPassed(),
                                  check.getMargin())
                              .describe())
                  .toList();
    }
    return m.getAttempt() == 3 ? outcome + " (escalated: retrained from scratch)" : outcome;
  }

  /**
   * Versions of the run's model, other than the promoted one, whose parameters still exist: each
   * learned from data deleted since. Must be 0 once every receipt is in.
   */
  static long loadableOlderVersions(ModelStore store) {
    return store.versions(MODEL).stream()
        .filter(v -> v.status() != VersionStatus.PROMOTED)
        .filter(v -> java.nio.file.Files.exists(store.parameters(v)))
        .count();
  }

  private static String fraction(Double value) {
    return value == null ? "-" : String.format("%.4f", value);
  }

  private <T> List<T> readAll(String topic, Class<T> type) {
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = consumer(type)) {
      consumer.subscribe(List.of(topic));
      int emptyPolls = 0;
      while (emptyPolls < 4) {
        var records = consumer.poll(Duration.ofMillis(500));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        records.forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T> KafkaConsumer<String, T> consumer(Class<T> type) {
    RegistryClient client =
        new RegistryClient(RegistryConfig.from(Map.of("schema.registry.url", schemaRegistryUrl)));
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "rumstream-demo-report-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    Deserializer<T> values = (Deserializer<T>) AvroDeserializer.forClass((Class) type, client);
    return new KafkaConsumer<>(props, new StringDeserializer(), values);
  }

  static void say(String line) {
    System.out.println("[rumstream] " + line);
  }
}
