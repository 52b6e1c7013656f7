package dev.rumstream.bench;

import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroTrust;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.topics.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.TreeMap;
import java.util.concurrent.Callable;
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
 * beside a Kafka Streams passthrough ({@code stream(in).to(out)}, byte arrays, same processing
 * guarantee and commit interval) on the same broker in the same run. Rounds alternate passthrough
 * and topology; the figure is the ratio of the medians. See bench/README.md.
 */
@Command(
    name = "pipeline-throughput",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Deletion requests/s through the whole rumstream topology (intake, dedup,",
      "receipts, forget-set windows, refinement, jobs) beside a Kafka Streams",
      "passthrough on the same broker; prints the ratio of the medians.",
      "Each pass produces N pre-serialized request records to a fresh input topic",
      "and runs from the first send until the last expected output record is",
      "read (read_committed): every record for the passthrough, every",
      "ACCEPTED/REJECTED receipt for the topology.",
      ""
    })
public final class PipelineThroughput implements Callable<Integer> {
  private static final String MODEL = "bench-model";
  private static final PrintStream OUT = System.out;

  @Mixin BrokerOptions broker;

  @Option(
      names = "--requests",
      defaultValue = "20000",
      description = "Request records per pass (${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Passes of each side, alternating (${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--passthrough-repeat",
      defaultValue = "10",
      description = {
        "The passthrough copies the N records this many times over (${DEFAULT-VALUE}): N alone",
        "passes through in well under a second, which measures a burst, not a sustained rate."
      })
  int passthroughRepeat;

  @Option(
      names = "--partitions",
      defaultValue = "1",
      description = "Partitions of every topic (${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--commit-interval-ms",
      defaultValue = "100",
      description =
          "commit.interval.ms of both apps (${DEFAULT-VALUE}, Kafka Streams' exactly-once default).")
  long commitIntervalMs;

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

  /** A pass of one side. */
  record Pass(
      String side,
      int round,
      TimedRun.Result result,
      Map<String, Object> topologyOutput,
      String loadAtStart,
      String loadAtEnd) {}

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
      String modelsTopic = runId + "-model-versions";
      String scoresTopic = runId + "-memorization-scores";
      run.createTopics(
          Map.of(modelsTopic, Topic.CleanupPolicy.DELETE, scoresTopic, Topic.CleanupPolicy.COMPACT),
          partitions);
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
          "pre-serialized %,d request records: %,d distinct requests, %,d duplicate records, %,d invalid "
              + "records, %,d example ids; the topology must issue %,d receipts%n",
          workload.values().size(),
          workload.distinct(),
          workload.duplicates(),
          workload.invalid(),
          workload.exampleIds(),
          workload.expectedReceipts());

      for (int round = 1; round <= rounds; round++) {
        passes.add(passthrough(round, workload));
        passes.add(topology(round, workload, modelsTopic, scoresTopic));
      }
      String loadAfter = Machine.loadAverage();
      ThroughputReport report = new ThroughputReport(this, run);
      Map<String, Object> summary = report.report(passes, loadBefore, loadAfter);
      if (!"none".equals(output)) {
        report.writeJson(
            Path.of(output), startedAt, loadBefore, loadAfter, workload, passes, summary);
        OUT.println("figures written to " + output);
      }
      return 0;
    }
  }

  // ------------------------------------------------------------------------------------------------ the two sides

  private Pass passthrough(int round, Workload.Requests workload) throws Exception {
    String label = "passthrough " + round + "/" + rounds;
    String in = run.id() + "-r" + round + "-passthrough-in";
    String out = run.id() + "-r" + round + "-passthrough-out";
    run.createTopics(
        Map.of(in, Topic.CleanupPolicy.DELETE, out, Topic.CleanupPolicy.DELETE), partitions);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    Properties props = new Properties();
    props.putAll(run.clientConfig());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, run.group("r" + round + "-passthrough"));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG, run.stateDir("r" + round + "-passthrough").toString());
    KafkaStreams streams = run.track(new KafkaStreams(builder.build(), props));
    try {
      streams.start();
      BrokerRun.awaitRunning(label, streams::state);
      List<byte[]> values = new ArrayList<>(workload.values().size() * passthroughRepeat);
      for (int i = 0; i < passthroughRepeat; i++) {
        values.addAll(workload.values());
      }
      String loadAtStart = Machine.loadAverage();
      TimedRun.Result result =
          TimedRun.run(
              label,
              run.clientConfig(),
              in,
              out,
              workload.key(),
              values,
              values.size(),
              roundTimeout,
              sampleStacks,
              OUT);
      ThroughputReport.printStacks(label, result);
      return new Pass("passthrough", round, result, Map.of(), loadAtStart, Machine.loadAverage());
    } finally {
      streams.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(30)));
      run.untrack(streams);
    }
  }

  private Pass topology(
      int round, Workload.Requests workload, String modelsTopic, String scoresTopic)
      throws Exception {
    String label = "topology " + round + "/" + rounds;
    Map<String, String> overrides = new HashMap<>();
    overrides.put("application.id", run.group("r" + round + "-topology"));
    overrides.put("processing.guarantee", processingGuarantee);
    overrides.put("commit.interval.ms", Long.toString(commitIntervalMs));
    overrides.put("state.dir", run.stateDir("r" + round + "-topology").toString());
    overrides.put("rumstream.topic.model.versions", modelsTopic);
    overrides.put("rumstream.topic.memorization.scores", scoresTopic);
    // Every request of the run falls into one long window that never ends during the pass and is
    // never flushed by
    // the wall clock: forget sets close by the size cap only.
    overrides.put("rumstream.window.size", "1h");
    overrides.put("rumstream.window.max.wait", "1h");
    overrides.put("rumstream.window.max.examples", Integer.toString(maxForgetSetExamples));
    try (EmbeddedPipeline pipeline =
        run.track(
            EmbeddedPipeline.on(broker.bootstrapServers, broker.registryUrl)
                .topics(run.appSettings("r" + round))
                .partitions(partitions)
                .streams(overrides)
                .create())) {
      ServiceShell<StreamsService> service = pipeline.startStreams();
      String loadAtStart = Machine.loadAverage();
      TimedRun.Result result =
          TimedRun.run(
              label,
              run.clientConfig(),
              pipeline.topic(Topic.DELETION_REQUESTS),
              pipeline.topic(Topic.DELETION_RECEIPTS),
              workload.key(),
              workload.values(),
              workload.expectedReceipts(),
              roundTimeout,
              sampleStacks,
              OUT);
      Map<String, Object> produced = topologyOutput(service.metrics());
      OUT.printf("  [%s] service metrics: %s%n", label, produced);
      ThroughputReport.printStacks(label, result);
      run.untrack(pipeline);
      return new Pass("topology", round, result, produced, loadAtStart, Machine.loadAverage());
    }
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
