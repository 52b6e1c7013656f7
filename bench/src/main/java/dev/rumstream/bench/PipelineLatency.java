package dev.rumstream.bench;

import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.bench.LatencyReport.Sent;
import dev.rumstream.config.Settings;
import dev.rumstream.pipeline.EmbeddedPipeline;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.AvroTrust;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.streams.refine.RefinementPolicy;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * End-to-end latency of a deletion request under a steady load on a real broker: from its {@code
 * requestedAt} to its COMPLETED receipt's {@code issuedAt}, split into window wait, queue wait and
 * unlearning (bench/README.md). Runs the streams app and an unlearn worker in this JVM on a
 * Fashion-MNIST small CNN.
 */
@Command(
    name = "pipeline-latency",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "End-to-end latency from deletion request to COMPLETED receipt under a steady",
      "load: the streams app and an unlearn worker in this JVM, a fixed request rate",
      "for a fixed time, short forget-set windows. Prints p50/p95/p99/max of the total",
      "and of its three parts, which add up to it for every request:",
      "  window wait  requestedAt -> the request's forget set closed",
      "               (ForgetSet.closedAt)",
      "  queue wait   closedAt -> the worker took up the set's first job",
      "               (UnlearningMetrics.startedAt)",
      "  unlearning   that -> the COMPLETED receipt's issuedAt",
      ""
    })
public final class PipelineLatency implements Callable<Integer> {
  private static final PrintStream OUT = System.out;

  @Mixin BrokerOptions broker;

  @Option(
      names = "--rate",
      defaultValue = "2",
      description = "Deletion requests per second (${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "PT2M30S",
      description = "How long requests are sent (${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--window",
      defaultValue = "PT30S",
      description = "rumstream.window.size, the forget-set window (${DEFAULT-VALUE}).")
  Duration window;

  @Option(
      names = "--grace",
      defaultValue = "PT2S",
      description =
          "rumstream.window.grace: a window closes once a request this much past its end arrives "
              + "(${DEFAULT-VALUE}).")
  Duration grace;

  @Option(
      names = "--max-wait",
      description =
          "rumstream.window.max.wait: the wall-clock flush of a set nothing else closes, i.e. the last "
              + "one (default: window + grace + 5 s, so the steady windows close by their end, not by it).")
  Duration maxWait;

  @Option(
      names = "--max-ids",
      defaultValue = "5",
      description =
          "Example ids per request: 1 to this, uniform over the training set (${DEFAULT-VALUE}).")
  int maxIds;

  @Option(
      names = "--unlearn-epochs",
      defaultValue = "0",
      description =
          "Cap on the epochs of the policy's algorithms, as rumstream.policy.<level>.hp.epochs "
              + "overrides (${DEFAULT-VALUE} = the policy's own, 10; 2 = the quality benchmark's "
              + "quick profile, under which the gate rejects most MEDIUM Fine-tunes).")
  int unlearnEpochs;

  @Option(
      names = "--retain-count",
      defaultValue = "5000",
      description =
          "The worker's default retain_count, retain examples per unlearning step (${DEFAULT-VALUE}, the"
              + " worker's own; with 1,000 the promotion gate rejects the policy's Random-label on the demo"
              + " model for the utility it costs, and the jobs escalate to retrains).")
  int retainCount;

  @Option(
      names = "--eval-retain-sample",
      defaultValue = "1000",
      description = "rumstream.eval.retain.sample of the worker (${DEFAULT-VALUE}).")
  int evalRetainSample;

  @Option(
      names = "--eval-test-sample",
      defaultValue = "2000",
      description =
          "rumstream.eval.test.sample of the worker (${DEFAULT-VALUE}: 1.96 standard errors of an"
              + " accuracy near 0.9 are 0.013; the worker's default is 10,000).")
  int evalTestSample;

  @Option(
      names = "--purge-grace",
      defaultValue = "PT10S",
      description =
          "rumstream.store.purge.grace of the worker (${DEFAULT-VALUE}, its default): waited out after"
              + " a set's last job, reported apart from the worker's overhead.")
  Duration purgeGrace;

  @Option(
      names = "--mia-shadow-size",
      defaultValue = "1000",
      description = "rumstream.eval.mia.shadow.size of the worker (${DEFAULT-VALUE}).")
  int miaShadowSize;

  @Option(
      names = "--model-cache",
      defaultValue = ".rumstream/models",
      description =
          "Where the trained original is cached, shared with the demo (${DEFAULT-VALUE}).")
  Path modelCache;

  @Option(
      names = "--model-id",
      defaultValue = "fashion-mnist-cnn",
      description = "The cached model (${DEFAULT-VALUE}, the demo's).")
  String modelId;

  @Option(
      names = "--epochs",
      defaultValue = "3",
      description =
          "Training epochs if the model is not cached yet (${DEFAULT-VALUE}, as the demo).")
  int epochs;

  @Option(
      names = "--drain-timeout",
      defaultValue = "PT10M",
      description =
          "After the last request, how long to wait for the outstanding receipts (${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(
      names = "--progress-every",
      defaultValue = "PT10S",
      description = "Progress lines (${DEFAULT-VALUE}).")
  Duration progressEvery;

  @Option(
      names = "--seed",
      defaultValue = "20261127",
      description = "Random seed of the requests (${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--output",
      defaultValue = "bench/results/pipeline-latency.json",
      description = "Where the figures go as JSON; 'none' for nowhere (${DEFAULT-VALUE}).")
  String output;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineLatency()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AvroTrust.trustRumstreamContracts();
    if (maxWait == null) {
      maxWait = window.plus(grace).plusSeconds(5);
    }
    String loadBefore = Machine.loadAverage();
    Instant startedAt = Instant.now();
    try (BrokerRun run = broker.open(OUT)) {
      OUT.printf(
          "pipeline-latency %s: broker %s, registry %s, load average %s, %d cores%n",
          run.id(),
          broker.bootstrapServers,
          broker.registryUrl,
          loadBefore,
          Runtime.getRuntime().availableProcessors());
      List<Sent> sent;
      List<LatencyReport.Row> rows;
      List<LatencyReport.SetRow> sets;
      VersionManifest v0;
      PipelineRecords records;
      try (EmbeddedPipeline pipeline =
          run.track(
              EmbeddedPipeline.on(broker.bootstrapServers, broker.registryUrl)
                  .topics(run.appSettings("lat"))
                  .streams(streamsSettings(run))
                  .worker(workerSettings(run))
                  .create())) {
        v0 = pipeline.storeTrainedVersionZero(modelCache, modelId, epochs);
        OUT.printf(
            "model %s version 0: %s, trained %s epochs, test accuracy %.4f; published with its scores%n",
            modelId,
            v0.architecture(),
            v0.hyperParameters().get("epochs"),
            v0.evidence().testAccuracy());
        records =
            new PipelineRecords(
                run.clientConfig(),
                broker.registryUrl,
                List.of(
                    pipeline.topic(Topic.DELETION_RECEIPTS),
                    pipeline.topic(Topic.FORGET_SETS),
                    pipeline.topic(Topic.UNLEARN_JOBS),
                    pipeline.topic(Topic.UNLEARNING_METRICS)));
        try (records) {
          pipeline.startStreams();
          pipeline.startWorker(true);
          sent =
              sendSteadily(
                  run.clientConfig(),
                  pipeline.topic(Topic.DELETION_REQUESTS),
                  v0.datasetSize(),
                  records);
          drain(sent, records);
          sets = LatencyReport.sets(records, purgeGrace);
          rows = LatencyReport.rows(sent, records, sets);
        }
        run.untrack(pipeline);
      }
      LatencyReport report = new LatencyReport(this);
      String loadAfter = Machine.loadAverage();
      Map<String, Object> summary = report.report(rows, sets, records, loadBefore, loadAfter);
      if (!"none".equals(output)) {
        report.writeJson(
            Path.of(output),
            run.id(),
            startedAt,
            loadBefore,
            loadAfter,
            v0,
            policy().toString(),
            summary,
            sets,
            rows);
        OUT.println("figures written to " + output);
      }
      return rows.stream().allMatch(r -> r.status().equals("completed")) ? 0 : 1;
    }
  }

  // ------------------------------------------------------------------------------------------------ the system

  private Map<String, String> streamsSettings(BrokerRun run) throws IOException {
    Map<String, String> values = new HashMap<>();
    values.put("application.id", run.group("streams"));
    values.put("state.dir", run.stateDir("streams").toString());
    values.put("rumstream.window.size", window.toString());
    values.put("rumstream.window.grace", grace.toString());
    values.put("rumstream.window.max.wait", maxWait.toString());
    values.put("rumstream.window.flush.interval", "1s");
    values.putAll(epochCaps(policy()));
    return values;
  }

  /** The streams app's default policy, before the epoch caps. */
  private static RefinementPolicy policy() {
    return TopologyConfig.from(Settings.of(StreamsApp.DEFAULTS, Map.of())).policy();
  }

  /**
   * Overrides that cap the epochs of every level whose algorithm has more than --unlearn-epochs.
   */
  private Map<String, String> epochCaps(RefinementPolicy policy) {
    Map<String, String> caps = new HashMap<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      String epochs = policy.plan(level).hyperParameters().get("epochs");
      if (unlearnEpochs > 0 && epochs != null && Integer.parseInt(epochs) > unlearnEpochs) {
        caps.put(
            "rumstream.policy." + level.name().toLowerCase(Locale.ROOT) + ".hp.epochs",
            Integer.toString(unlearnEpochs));
      }
    }
    return caps;
  }

  private Map<String, String> workerSettings(BrokerRun run) throws IOException {
    Map<String, String> values = new HashMap<>();
    values.put("group.id", run.group("worker"));
    values.put("rumstream.worker.id", run.id());
    values.put("rumstream.model.store", run.stateDir("models").toString());
    values.put("rumstream.job.default.hp.retain_count", Integer.toString(retainCount));
    values.put("rumstream.eval.retain.sample", Integer.toString(evalRetainSample));
    values.put("rumstream.eval.test.sample", Integer.toString(evalTestSample));
    values.put("rumstream.store.purge.grace", purgeGrace.toString());
    values.put("rumstream.eval.mia.shadow.size", Integer.toString(miaShadowSize));
    return values;
  }

  // ------------------------------------------------------------------------------------------------ the load

  /** Sends request i at start + i / rate, each stamped with the moment it is sent. */
  private List<Sent> sendSteadily(
      Map<String, Object> clientConfig, String topic, long datasetSize, PipelineRecords records)
      throws InterruptedException {
    int count = (int) Math.round(rate * duration.toMillis() / 1000.0);
    OUT.printf(
        "sending %,d requests at %.2f/s for %s (windows of %s, grace %s, max.wait %s)%n",
        count, rate, duration, window, grace, maxWait);
    Random random = new Random(seed);
    AvroSerializer<DeletionRequest> values = new AvroSerializer<>();
    values.configure(Map.of("schema.registry.url", broker.registryUrl), false);
    List<Sent> sent = new ArrayList<>(count);
    long start = System.nanoTime();
    long nextProgress = progressEvery.toNanos();
    try (KafkaProducer<String, DeletionRequest> producer =
        new KafkaProducer<>(clientConfig, new StringSerializer(), values)) {
      for (int i = 0; i < count; i++) {
        long due = start + (long) (i * 1e9 / rate);
        long early = due - System.nanoTime();
        if (early > 0) {
          Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
        }
        List<Long> ids = new ArrayList<>();
        for (int k = 1 + random.nextInt(maxIds); k > 0; k--) {
          ids.add((long) random.nextInt((int) datasetSize));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DeletionRequest request = Workload.request(modelId, ids, now, random);
        producer.send(
            new ProducerRecord<>(topic, modelId, request),
            (metadata, e) -> {
              if (e != null) {
                OUT.println("send failed: " + e);
              }
            });
        sent.add(new Sent(request.getRequestId(), now));
        if (System.nanoTime() - start >= nextProgress) {
          progress("sending", start, sent, count, records);
          nextProgress += progressEvery.toNanos();
        }
      }
      producer.flush();
    }
    return sent;
  }

  /**
   * Waits until every request has a final receipt (COMPLETED or REJECTED), or the drain timeout.
   */
  private void drain(List<Sent> sent, PipelineRecords records) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + drainTimeout.toNanos();
    long nextProgress = 0;
    while (finished(sent, records) < sent.size() && System.nanoTime() < deadline) {
      records.check();
      if (System.nanoTime() - start >= nextProgress) {
        progress("draining", start, sent, sent.size(), records);
        nextProgress += progressEvery.toNanos();
      }
      Thread.sleep(200);
    }
    progress(
        finished(sent, records) == sent.size() ? "all done" : "drain timeout",
        start,
        sent,
        sent.size(),
        records);
  }

  private static long finished(List<Sent> sent, PipelineRecords records) {
    return sent.stream()
        .filter(
            s ->
                records.completed().containsKey(s.requestId())
                    || records.rejected().containsKey(s.requestId()))
        .count();
  }

  private static void progress(
      String phase, long start, List<Sent> sent, int count, PipelineRecords records) {
    long inWindow =
        sent.stream()
            .filter(
                s ->
                    records.accepted().containsKey(s.requestId())
                        && records.forgetSets().values().stream()
                            .noneMatch(f -> f.getRequestIds().contains(s.requestId())))
            .count();
    OUT.printf(
        "  [%-8s %5.0fs] sent %d/%d, accepted %d, rejected %d, in open windows %d, forget sets %d, "
            + "jobs %d done of %d, completed %d; load %s%n",
        phase,
        (System.nanoTime() - start) / 1e9,
        sent.size(),
        count,
        records.accepted().size(),
        records.rejected().size(),
        inWindow,
        records.forgetSets().size(),
        records.metrics().size(),
        records.jobs().size(),
        records.completed().size(),
        Machine.loadAverage());
  }
}
