package dev.rumstream.bench;

import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroTrust;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sustained deletion requests per second through the whole deletion topology on a real broker,
 * beside a ladder of baselines on the same broker in the same run (a byte passthrough, then Avro
 * decoding and a receipt, then one changelogged store), with the same processing guarantee and
 * commit interval. Each pass runs one application: a warm-up that is discarded, then a sustained
 * pass of at least {@code --pass-seconds}. Then the topology with a hot model over more partitions
 * (a stream thread each), the changelog it writes per request, and its open-loop latency (request
 * to visible receipt) at fractions of its capacity. See bench/README.md.
 */
@Command(
    name = "pipeline-throughput",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Deletion requests/s through the whole rumstream topology (intake, dedup,",
      "receipts, forget-set windows, refinement, jobs) beside a ladder of Kafka",
      "Streams baselines on the same broker: bytes passthrough, + Avro decode and",
      "receipt, + one changelogged store. Each pass: a fresh application, a",
      "discarded warm-up, then a timed pass from the first send until the last",
      "expected output is read (read_committed) of at least --pass-seconds. Then",
      "the topology over more partitions with one hot model, its changelog bytes",
      "and records per request, and its open-loop latency at fractions of its",
      "capacity.",
      ""
    })
public final class PipelineThroughput implements Callable<Integer> {
  private static final String MODEL = "bench-model";
  private static final PrintStream OUT = System.out;

  @Mixin BrokerOptions broker;

  @Option(
      names = "--requests",
      defaultValue = "3000000",
      description = {
        "Distinct request records generated (${DEFAULT-VALUE}); one application never sees a",
        "record twice unless the workload resends it, so this bounds a topology pass."
      })
  int requests;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Passes of each rung and partition count, in turn (${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--pass-seconds",
      defaultValue = "30",
      description = "A timed pass lasts at least this long (${DEFAULT-VALUE}).")
  int passSeconds;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "20",
      description =
          "Each application warms up, discarded, for at least this long (${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--warmup-records",
      defaultValue = "20000",
      description = {
        "Records of the first warm-up chunk of the topology (${DEFAULT-VALUE}); the baselines",
        "start with ten times as many; later chunks last about 5 s each."
      })
  int warmupRecords;

  @Option(
      names = "--partitions",
      split = ",",
      defaultValue = "1,2,4",
      description = {
        "Partition counts of the topology with one hot model, a stream thread per partition",
        "(${DEFAULT-VALUE}); the ladder runs on the first."
      })
  List<Integer> partitions;

  @Option(
      names = "--rungs",
      split = ",",
      defaultValue = "PASSTHROUGH,DECODE_RECEIPT,STORE,TOPOLOGY",
      description = "The ladder's rungs to run (${DEFAULT-VALUE}); the report needs them all.")
  List<Rung> rungs;

  @Option(
      names = "--stream-threads",
      defaultValue = "0",
      description = {
        "num.stream.threads of the topology; 0: one per partition (${DEFAULT-VALUE}). The",
        "topology has several sub-topologies, so a second thread helps even on one partition."
      })
  int streamThreads;

  @Option(
      names = "--latency-loads",
      split = ",",
      defaultValue = "0.5,0.9",
      description = "Open-loop rates as fractions of the topology's capacity (${DEFAULT-VALUE}).")
  List<Double> latencyLoads;

  @Option(
      names = "--restore-requests",
      defaultValue = "200000",
      description = {
        "Requests into the topology run as a process of its own before it is killed with SIGKILL",
        "and restarted, its restart timed (${DEFAULT-VALUE}; 0: no restart measured)."
      })
  int restoreRequests;

  @Option(
      names = "--commit-interval-ms",
      defaultValue = "100",
      description =
          "commit.interval.ms of both apps (${DEFAULT-VALUE}, Kafka Streams' exactly-once default).")
  long commitIntervalMs;

  @Option(
      names = "--app-setting",
      paramLabel = "KEY=VALUE",
      description = {
        "A setting of the streams app under test over its defaults, e.g.",
        "statestore.cache.max.bytes=67108864 (repeatable; the baselines keep theirs)."
      })
  Map<String, String> appSettings = new HashMap<>();

  @Option(
      names = "--processing-guarantee",
      defaultValue = "exactly_once_v2",
      description =
          "processing.guarantee of both apps (${DEFAULT-VALUE}, the streams app's default).")
  String processingGuarantee;

  @Option(
      names = "--dataset-size",
      defaultValue = "60000",
      description = "The model's datasetSize (${DEFAULT-VALUE}).")
  long datasetSize;

  @Option(
      names = "--scored-examples",
      defaultValue = "10000",
      description =
          "Examples 0..N-1 get a memorization score; requests name only these (${DEFAULT-VALUE}).")
  int scoredExamples;

  @Option(
      names = "--max-ids",
      defaultValue = "20",
      description = "Example ids per request: 1 to this (${DEFAULT-VALUE}).")
  int maxIds;

  @Option(
      names = "--duplicate-percent",
      defaultValue = "5",
      description = "Records that re-send an earlier request (${DEFAULT-VALUE}%%).")
  double duplicatePercent;

  @Option(
      names = "--invalid-percent",
      defaultValue = "1",
      description = "New requests with an id outside the dataset, REJECTED (${DEFAULT-VALUE}%%).")
  double invalidPercent;

  @Option(
      names = "--max-forget-set-examples",
      defaultValue = "5000",
      description =
          "rumstream.window.max.examples, the size cap that closes forget sets (${DEFAULT-VALUE}, the default).")
  int maxForgetSetExamples;

  @Option(
      names = "--round-timeout",
      defaultValue = "PT10M",
      description = "Limit of one pass (${DEFAULT-VALUE}).")
  Duration roundTimeout;

  @Option(
      names = "--seed",
      defaultValue = "20261127",
      description = "Random seed of the workload (${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--sample-stacks",
      description =
          "Sample the stream threads' stacks every 10 ms and print where the time goes (adds overhead).")
  boolean sampleStacks;

  @Option(
      names = "--output",
      defaultValue = "bench/results/pipeline-throughput.json",
      description = "Where the figures go as JSON; 'none' for nowhere (${DEFAULT-VALUE}).")
  String output;

  private BrokerRun run;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineThroughput()).execute(args));
  }

  /** The rungs of the ladder, each one the previous plus some of the topology's work. */
  enum Rung {
    PASSTHROUGH("bytes passthrough", 10),
    DECODE_RECEIPT("+ Avro decode and receipt", 10),
    STORE("+ one changelogged store", 10),
    TOPOLOGY("full topology", 1);

    final String label;
    final int warmupMultiple;

    Rung(String label, int warmupMultiple) {
      this.label = label;
      this.warmupMultiple = warmupMultiple;
    }
  }

  /** What an application wrote to its changelog topics over its life, per topic. */
  record Changelog(Map<String, long[]> recordsAndBytes, long acceptedRequests) {
    long records() {
      return recordsAndBytes.values().stream().mapToLong(v -> v[0]).sum();
    }

    long bytes() {
      return recordsAndBytes.values().stream().mapToLong(v -> v[1]).sum();
    }
  }

  /** A timed pass of one rung at one partition count. */
  record Pass(
      Rung rung,
      int partitions,
      int round,
      TimedRun.Result result,
      Map<String, Object> topologyOutput,
      Changelog changelog,
      String loadAtStart,
      String loadAtEnd) {}

  /**
   * Restart times of the topology's own process (dynamic or static group membership), in seconds:
   * until RUNNING, then until the receipts of {@code probe} new requests; after SIGKILL and after
   * SIGTERM.
   */
  record Restore(
      boolean staticMembership,
      int requests,
      Changelog changelog,
      double coldStartSeconds,
      Restart afterKill,
      Restart afterStop,
      int probe) {}

  /** One restart: seconds until RUNNING, then until the probe's receipts; the stores restored. */
  record Restart(double runningSeconds, double probeSeconds, List<String> restoredStores) {}

  /** An open-loop pass of the topology at a fraction of its capacity. */
  record LatencyPass(double load, double rate, TimedRun.Result result) {}

  @Override
  public Integer call() throws Exception {
    AvroTrust.trustRumstreamContracts();
    String loadBefore = Machine.loadAverage();
    Instant startedAt = Instant.now();
    List<Pass> passes = new ArrayList<>();
    try (BrokerRun run = broker.open(OUT)) {
      this.run = run;
      String runId = run.id();
      OUT.printf(
          "pipeline-throughput %s: broker %s, registry %s, load average %s, %d cores%n",
          runId,
          broker.bootstrapServers,
          broker.registryUrl,
          loadBefore,
          Runtime.getRuntime().availableProcessors());
      Random random = new Random(seed);
      int most = partitions.stream().mapToInt(Integer::intValue).max().orElse(1);
      String modelsTopic = runId + "-model-versions";
      String scoresTopic = runId + "-memorization-scores";
      run.createTopics(
          Map.of(modelsTopic, Topic.CleanupPolicy.DELETE, scoresTopic, Topic.CleanupPolicy.COMPACT),
          most);
      Workload.Model model =
          new Workload.Model(broker.registryUrl, MODEL, datasetSize, scoredExamples);
      Workload.publishModel(run.clientConfig(), model, modelsTopic, scoresTopic, random);
      OUT.printf(
          "published model %s (datasetSize %,d) and %,d memorization scores%n",
          MODEL, datasetSize, scoredExamples);
      Workload.Requests workload =
          Workload.requests(
              model,
              runId + "-deletion-requests",
              requests,
              maxIds,
              duplicatePercent,
              invalidPercent,
              random);
      OUT.printf(
          "pre-serialized %,d request records (keys: model and request bucket): %,d distinct requests, "
              + "%,d duplicate records, %,d invalid records, %,d example ids%n",
          workload.records().size(),
          workload.distinct(),
          workload.duplicates(),
          workload.invalid(),
          workload.exampleIds());
      Tables tables = new Tables(modelsTopic, scoresTopic);

      int ladderPartitions = partitions.get(0);
      for (int round = 1; round <= rounds; round++) {
        for (Rung rung : rungs) {
          passes.add(pass(rung, ladderPartitions, round, workload, tables));
        }
      }
      for (int p : partitions.subList(1, partitions.size())) {
        for (int round = 1; round <= rounds; round++) {
          passes.add(pass(Rung.TOPOLOGY, p, round, workload, tables));
        }
      }
      List<Restore> restores = new ArrayList<>();
      if (restoreRequests > 0) {
        restores.add(restore(ladderPartitions, workload, tables, false));
        restores.add(restore(ladderPartitions, workload, tables, true));
      }
      ThroughputReport report = new ThroughputReport(this, run);
      List<LatencyPass> latency = List.of();
      Map<String, Object> summary;
      if (rungs.containsAll(List.of(Rung.values()))) {
        double capacity = ThroughputReport.median(passes, Rung.TOPOLOGY, ladderPartitions);
        latency = latency(capacity, ladderPartitions, workload, tables);
        summary = report.report(passes, latency, restores);
      } else {
        OUT.println("not every rung ran: no ladder, no open-loop latency");
        summary = report.restarts(restores);
      }
      String loadAfter = Machine.loadAverage();
      if (!"none".equals(output)) {
        report.writeJson(
            Path.of(output), startedAt, loadBefore, loadAfter, workload, passes, latency, summary);
        OUT.println("figures written to " + output);
      }
      return 0;
    }
  }

  /** The global topics every topology application reads. */
  private record Tables(String modelsTopic, String scoresTopic) {}

  // ------------------------------------------------------------------------------------------------ passes

  /**
   * One application of the rung: a discarded warm-up, then timed passes until one lasted at least
   * --pass-seconds (a shorter one, after the application sped up, counts as more warm-up).
   */
  private Pass pass(
      Rung rung, int partitionCount, int round, Workload.Requests workload, Tables tables)
      throws Exception {
    String name =
        "r" + round + "-" + rung.name().toLowerCase(java.util.Locale.ROOT) + "-p" + partitionCount;
    String label = rung.label + ", " + partitionCount + "p, round " + round + "/" + rounds;
    try (Application app = start(rung, name, partitionCount, tables)) {
      Cursor cursor = new Cursor(rung, workload);
      // Warm up for a while, not for a count: the JIT and RocksDB keep speeding up for tens of
      // seconds.
      double warmedSeconds = 0;
      int count = warmupRecords * rung.warmupMultiple;
      double rate = 0;
      while (warmedSeconds < warmupSeconds) {
        TimedRun.Result warmup = timed(app, label + " warm-up", cursor, count, 0);
        warmedSeconds += warmup.seconds();
        rate = warmup.recordsPerSecond();
        count = (int) Math.ceil(rate * 5);
      }
      String loadAtStart = Machine.loadAverage();
      TimedRun.Result result;
      count = (int) Math.ceil(rate * passSeconds * 1.3);
      while (true) {
        result = timed(app, label, cursor, count, 0);
        if (result.seconds() >= passSeconds) {
          break;
        }
        OUT.printf(
            "  [%s] %.1fs is shorter than %ds: taken as more warm-up, again with more records%n",
            label, result.seconds(), passSeconds);
        count = (int) Math.ceil(count * passSeconds / result.seconds() * 1.2);
      }
      ThroughputReport.printStacks(label, result);
      Map<String, Object> produced =
          app.service == null ? Map.of() : topologyOutput(app.service.metrics());
      Changelog changelog =
          rung == Rung.STORE || rung == Rung.TOPOLOGY
              ? changelog(app.applicationId, (Long) produced.getOrDefault("accepted", cursor.next))
              : null;
      if (changelog != null) {
        OUT.printf(
            "  [%s] changelog: %,d records, %,d bytes over the application's %,d accepted requests = %.0f"
                + " bytes, %.2f records per request%n",
            label,
            changelog.records(),
            changelog.bytes(),
            changelog.acceptedRequests(),
            (double) changelog.bytes() / changelog.acceptedRequests(),
            (double) changelog.records() / changelog.acceptedRequests());
      }
      return new Pass(
          rung,
          partitionCount,
          round,
          result,
          produced,
          changelog,
          loadAtStart,
          Machine.loadAverage());
    }
  }

  /**
   * The topology at each fraction of its capacity, open loop, on one application after a warm-up:
   * each request leaves at its scheduled time; its latency runs from its send to its receipt.
   */
  private List<LatencyPass> latency(
      double capacity, int partitionCount, Workload.Requests workload, Tables tables)
      throws Exception {
    List<LatencyPass> passes = new ArrayList<>();
    try (Application app = start(Rung.TOPOLOGY, "latency", partitionCount, tables)) {
      Cursor cursor = new Cursor(Rung.TOPOLOGY, workload);
      timed(app, "latency warm-up", cursor, warmupRecords, 0);
      for (double load : latencyLoads) {
        double rate = capacity * load;
        String label = String.format("open loop at %.0f%% of capacity (%,.0f/s)", 100 * load, rate);
        passes.add(
            new LatencyPass(
                load, rate, timed(app, label, cursor, (int) (rate * passSeconds), rate)));
      }
    }
    return passes;
  }

  private TimedRun.Result timed(
      Application app, String label, Cursor cursor, int count, double rate)
      throws InterruptedException {
    Cursor.Slice slice = cursor.take(count);
    return TimedRun.run(
        label,
        run.clientConfig(),
        app.input,
        app.output,
        slice.records(),
        slice.expectedOutputs(),
        rate,
        roundTimeout,
        sampleStacks && rate == 0,
        OUT);
  }

  /**
   * The records a rung's application gets next: for the topology, records it has not seen (a record
   * twice would be a duplicate); the baselines cycle through the workload.
   */
  private static final class Cursor {
    record Slice(List<Workload.Request> records, long expectedOutputs) {}

    private final Rung rung;
    private final Workload.Requests workload;
    private long next;

    Cursor(Rung rung, Workload.Requests workload) {
      this.rung = rung;
      this.workload = workload;
    }

    Slice take(int count) {
      List<Workload.Request> all = workload.records();
      if (rung == Rung.TOPOLOGY) {
        int from = (int) next;
        if (from + count > all.size()) {
          throw new IllegalStateException(
              "a topology pass needs "
                  + (from + count)
                  + " records and the workload has "
                  + all.size()
                  + ": raise --requests");
        }
        next += count;
        return new Slice(
            all.subList(from, from + count), workload.expectedReceipts(from, from + count));
      }
      List<Workload.Request> cycled = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        cycled.add(all.get((int) ((next + i) % all.size())));
      }
      next += count;
      return new Slice(cycled, count);
    }
  }

  // ------------------------------------------------------------------------------------------------ applications

  /** A running application of one rung, with its input and output topics. */
  private final class Application implements AutoCloseable {
    final String applicationId;
    final String input;
    final String output;
    final ServiceShell<StreamsService> service;
    private final AutoCloseable closeable;

    Application(
        String applicationId,
        String input,
        String output,
        ServiceShell<StreamsService> service,
        AutoCloseable closeable) {
      this.applicationId = applicationId;
      this.input = input;
      this.output = output;
      this.service = service;
      this.closeable = closeable;
    }

    @Override
    public void close() throws Exception {
      if (closeable instanceof KafkaStreams streams) {
        streams.close(
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
      } else {
        closeable.close();
      }
      run.untrack(closeable);
    }
  }

  private Application start(Rung rung, String name, int partitionCount, Tables tables)
      throws Exception {
    if (rung == Rung.TOPOLOGY) {
      return topology(name, partitionCount, tables);
    }
    String in = run.id() + "-" + name + "-in";
    String out = run.id() + "-" + name + "-out";
    run.createTopics(
        Map.of(in, Topic.CleanupPolicy.DELETE, out, Topic.CleanupPolicy.DELETE), partitionCount);
    String applicationId = run.group(name);
    Properties props = new Properties();
    props.putAll(run.clientConfig());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, partitionCount);
    props.put(StreamsConfig.STATE_DIR_CONFIG, run.stateDir(name).toString());
    StreamsBuilder builder = new StreamsBuilder();
    if (rung == Rung.PASSTHROUGH) {
      builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
          .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    } else {
      Baselines.receipts(builder, in, out, rung == Rung.STORE, broker.registryUrl);
    }
    KafkaStreams streams = run.track(new KafkaStreams(builder.build(), props));
    streams.start();
    BrokerRun.awaitRunning(name, streams::state);
    return new Application(applicationId, in, out, null, streams);
  }

  private Application topology(String name, int partitionCount, Tables tables) throws Exception {
    Map<String, String> overrides = topologySettings(name, partitionCount, tables);
    EmbeddedPipeline pipeline =
        run.track(
            EmbeddedPipeline.on(broker.bootstrapServers, broker.registryUrl)
                .topics(run.appSettings(name))
                .partitions(partitionCount)
                .streams(overrides)
                .create());
    ServiceShell<StreamsService> service = pipeline.startStreams();
    return new Application(
        overrides.get("application.id"),
        pipeline.topic(Topic.DELETION_REQUESTS),
        pipeline.topic(Topic.DELETION_RECEIPTS),
        service,
        pipeline);
  }

  /** The streams app's settings of a topology pass over its defaults. */
  private Map<String, String> topologySettings(String name, int partitionCount, Tables tables)
      throws IOException {
    Map<String, String> overrides = new HashMap<>();
    String applicationId = run.group(name);
    overrides.put("application.id", applicationId);
    overrides.put("processing.guarantee", processingGuarantee);
    overrides.put("commit.interval.ms", Long.toString(commitIntervalMs));
    overrides.put(
        "num.stream.threads", Integer.toString(streamThreads > 0 ? streamThreads : partitionCount));
    overrides.put("state.dir", run.stateDir(name).toString());
    overrides.put("rumstream.topic.model.versions", tables.modelsTopic());
    overrides.put("rumstream.topic.memorization.scores", tables.scoresTopic());
    // Every request of the run falls into one long window that never ends during the pass and is
    // never flushed by the wall clock: forget sets close by the size cap only.
    overrides.put("rumstream.window.size", "1h");
    overrides.put("rumstream.window.max.wait", "1h");
    overrides.put("rumstream.window.max.examples", Integer.toString(maxForgetSetExamples));
    overrides.putAll(appSettings);
    return overrides;
  }

  /**
   * The topology as a process of its own: filled with {@code --restore-requests} requests, killed
   * with SIGKILL, started again (its state restored from the changelogs), then stopped with SIGTERM
   * and started once more (from its checkpointed local state); each start timed until the app is
   * RUNNING, and then until the receipts of a few new requests are visible.
   */
  private Restore restore(
      int partitionCount, Workload.Requests workload, Tables tables, boolean staticMembership)
      throws Exception {
    String name = "restore-" + (staticMembership ? "static-" : "") + "p" + partitionCount;
    Map<String, String> settings = new HashMap<>(run.appSettings(name));
    settings.putAll(topologySettings(name, partitionCount, tables));
    settings.put("rumstream.dev.mode", "true");
    if (staticMembership) {
      // As the Kubernetes StatefulSet sets it (the pod's name): a restarted member takes its
      // partitions back at once instead of after the dead one's session timeout.
      settings.put("group.instance.id", name);
    }
    String applicationId = settings.get("application.id");
    EmbeddedPipeline.on(broker.bootstrapServers, broker.registryUrl)
        .topics(run.appSettings(name))
        .partitions(partitionCount)
        .streams(settings)
        .create()
        .close();
    Path dir = run.stateDir(name + "-process");
    Path config = dir.resolve("streams.properties");
    Path log = dir.resolve("streams.log");
    Cursor cursor = new Cursor(Rung.TOPOLOGY, workload);
    Duration patience = Duration.ofMinutes(10);
    int probe = 100;
    double cold;
    Changelog changelog;
    try (StreamsProcess first = run.track(StreamsProcess.start(settings, config, log))) {
      cold = first.awaitReady(patience);
      OUT.printf("  [restore] streams app process ready after %.2fs (empty state)%n", cold);
      TimedRun.Result fill =
          timed(application(settings, first), "restore: fill", cursor, restoreRequests, 0);
      changelog = changelog(applicationId, fill.outputs());
      first.kill();
      run.untrack(first);
    }
    OUT.printf(
        "  [restore] killed (SIGKILL) after %,d requests: changelog %,d records, %,d bytes%n",
        restoreRequests, changelog.records(), changelog.bytes());
    Restart afterKill = restart("after SIGKILL", settings, config, log, cursor, patience, probe);
    Restart afterStop = restart("after SIGTERM", settings, config, log, cursor, patience, probe);
    return new Restore(
        staticMembership, restoreRequests, changelog, cold, afterKill, afterStop, probe);
  }

  private Application application(Map<String, String> settings, StreamsProcess process) {
    return new Application(
        settings.get("application.id"),
        settings.get(Topic.DELETION_REQUESTS.nameKey()),
        settings.get(Topic.DELETION_RECEIPTS.nameKey()),
        null,
        process);
  }

  /**
   * Starts the app again, times it until ready and until a probe's receipts, stops it (SIGTERM).
   */
  private Restart restart(
      String label,
      Map<String, String> settings,
      Path config,
      Path log,
      Cursor cursor,
      Duration patience,
      int probe)
      throws Exception {
    try (StreamsProcess process = run.track(StreamsProcess.start(settings, config, log))) {
      double ready = process.awaitReady(patience);
      TimedRun.Result first =
          timed(application(settings, process), "restore: requests " + label, cursor, probe, 0);
      OUT.printf(
          "  [restore] %s: RUNNING %.2fs after the process started, %d new requests' receipts %.2fs"
              + " later%n",
          label, ready, probe, first.seconds());
      List<String> restored = process.restoredStores();
      restored.forEach(line -> OUT.println("    " + line));
      run.untrack(process);
      return new Restart(ready, first.seconds(), restored);
    }
  }

  /**
   * Records and bytes (key and value) in every changelog topic of the application, read from the
   * beginning: what the application wrote to restore its state.
   */
  private Changelog changelog(String applicationId, long acceptedRequests) throws Exception {
    Set<String> topics;
    try (Admin admin = Admin.create(run.clientConfig())) {
      topics =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))
              .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
    Map<String, Object> config = new HashMap<>(run.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, long[]> sizes = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : topics) {
        long[] size = new long[2];
        TopicReader.readToEnd(
            consumer,
            topic,
            record -> {
              size[0]++;
              size[1] +=
                  (record.key() == null ? 0 : record.key().length)
                      + (record.value() == null ? 0 : record.value().length);
            });
        sizes.put(topic.substring(applicationId.length() + 1), size);
      }
    }
    return new Changelog(sizes, acceptedRequests);
  }

  /** What the topology did, from its own metrics (rumstream.*). */
  private static Map<String, Object> topologyOutput(MeterRegistry meters) {
    Map<String, Object> produced = new LinkedHashMap<>();
    produced.put("accepted", (long) sum(meters, "rumstream.requests.accepted"));
    produced.put("rejected", (long) sum(meters, "rumstream.requests.rejected"));
    produced.put("duplicates", (long) sum(meters, "rumstream.requests.duplicate"));
    produced.put("deadLetters", (long) sum(meters, "rumstream.dead.letters"));
    produced.put("forgetSets", (long) sum(meters, "rumstream.forget.sets.emitted"));
    Map<String, Long> byReason = new TreeMap<>();
    meters
        .find("rumstream.forget.sets.emitted")
        .counters()
        .forEach(
            c -> byReason.merge(c.getId().getTag("close_reason"), (long) c.count(), Long::sum));
    produced.put("forgetSetsByCloseReason", byReason);
    produced.put("jobs", (long) sum(meters, "rumstream.jobs.emitted"));
    return produced;
  }

  private static double sum(MeterRegistry meters, String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
