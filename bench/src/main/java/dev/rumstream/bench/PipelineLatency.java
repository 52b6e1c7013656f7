package dev.rumstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.config.Settings;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.AvroTrust;
import dev.rumstream.streams.DeletionService;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.TopicSetup;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.streams.refine.RefinementPolicy;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.Bootstrap;
import dev.rumstream.worker.WorkerConfig;
import dev.rumstream.worker.WorkerService;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
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
      defaultValue = "PT3M",
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
      defaultValue = "2",
      description =
          "Cap on the epochs of the policy's algorithms, as rumstream.policy.<level>.hp.epochs "
              + "overrides (${DEFAULT-VALUE}, as the quality benchmark's quick profile; 0 = the policy's own: Fine-tune "
              + "10, SalUn 5).")
  int unlearnEpochs;

  @Option(
      names = "--retain-count",
      defaultValue = "1000",
      description =
          "The worker's default retain_count, retain examples per unlearning step (${DEFAULT-VALUE}).")
  int retainCount;

  @Option(
      names = "--eval-retain-sample",
      defaultValue = "1000",
      description = "rumstream.eval.retain.sample of the worker (${DEFAULT-VALUE}).")
  int evalRetainSample;

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

  /** A request as sent: its id and requestedAt, which is the moment of sending. */
  record Sent(String requestId, Instant requestedAt) {}

  /**
   * The parts of one request's latency in milliseconds; null where the request did not complete.
   */
  record Row(
      String requestId,
      Instant requestedAt,
      String status,
      String forgetSetId,
      String closeReason,
      Long windowMs,
      Long queueMs,
      Long unlearningMs,
      Long totalMs,
      Long algorithmMs,
      Long visibleMs) {}

  /**
   * One forget set: when it closed, when the worker took up its first job, when its receipts were
   * issued.
   */
  record SetRow(ForgetSet set, List<UnlearningMetrics> jobs, Instant startedAt, Instant issuedAt) {
    long algorithmMs() {
      return jobs.stream().mapToLong(UnlearningMetrics::getWallTimeMillis).sum();
    }
  }

  /** Nearest-rank percentiles of one part, in milliseconds. */
  record Distribution(int count, long p50, long p95, long p99, long max, double mean) {
    static Distribution of(long[] millis) {
      long[] sorted = millis.clone();
      Arrays.sort(sorted);
      return new Distribution(
          sorted.length,
          rank(sorted, 50),
          rank(sorted, 95),
          rank(sorted, 99),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1],
          Arrays.stream(sorted).average().orElse(0));
    }

    /** The smallest value at or above p percent of the values. */
    private static long rank(long[] sorted, double p) {
      return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(p / 100 * sorted.length) - 1];
    }
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
      Settings streamsSettings = streamsSettings(run);
      TopologyConfig topology = TopologyConfig.from(streamsSettings);
      TopicSetup.ensure(run.clientConfig(), topology.topics(), 1, (short) 1);
      WorkerConfig workerConfig = workerConfig(run);
      ModelStore store = new ModelStore(workerConfig.modelStore());
      VersionManifest v0 =
          Bootstrap.fromCache(
              workerConfig, new ModelStore(modelCache.toAbsolutePath()), store, modelId, epochs);
      OUT.printf(
          "model %s version 0: %s, trained %s epochs, test accuracy %.4f; published with its scores%n",
          modelId,
          v0.architecture(),
          v0.hyperParameters().get("epochs"),
          v0.evidence().testAccuracy());

      List<Sent> sent;
      List<Row> rows;
      List<SetRow> sets;
      PipelineRecords records =
          new PipelineRecords(
              run.clientConfig(),
              broker.registryUrl,
              List.of(
                  topology.topic(Topic.DELETION_RECEIPTS),
                  topology.topic(Topic.FORGET_SETS),
                  topology.topic(Topic.UNLEARN_JOBS),
                  topology.topic(Topic.UNLEARNING_METRICS)));
      try (records;
          DeletionService streams =
              run.track(new DeletionService(streamsSettings, new SimpleMeterRegistry()));
          WorkerService worker =
              run.track(new WorkerService(workerConfig, new SimpleMeterRegistry()))) {
        streams.start();
        worker.start();
        BrokerRun.awaitRunning("streams app", streams::state);
        awaitWorker(worker);
        sent =
            sendSteadily(
                run.clientConfig(),
                topology.topic(Topic.DELETION_REQUESTS),
                v0.datasetSize(),
                records);
        drain(sent, records);
        sets = sets(records);
        rows = rows(sent, records, sets);
      }
      String loadAfter = Machine.loadAverage();
      Map<String, Object> summary = report(rows, sets, records, loadBefore, loadAfter);
      if (!"none".equals(output)) {
        writeJson(
            Path.of(output), run.id(), startedAt, loadBefore, loadAfter, v0, summary, sets, rows);
        OUT.println("figures written to " + output);
      }
      return rows.stream().allMatch(r -> r.status().equals("completed")) ? 0 : 1;
    }
  }

  // ------------------------------------------------------------------------------------------------ the system

  private Settings streamsSettings(BrokerRun run) throws IOException {
    Map<String, String> values = new HashMap<>(run.appSettings("lat"));
    values.put("application.id", run.group("streams"));
    values.put("state.dir", run.stateDir("streams").toString());
    values.put("rumstream.http.port", "0");
    values.put("rumstream.window.size", window.toString());
    values.put("rumstream.window.grace", grace.toString());
    values.put("rumstream.window.max.wait", maxWait.toString());
    values.put("rumstream.window.flush.interval", "1s");
    values.putAll(
        epochCaps(TopologyConfig.from(Settings.of(StreamsApp.DEFAULTS, values)).policy()));
    return Settings.of(StreamsApp.DEFAULTS, values);
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

  private WorkerConfig workerConfig(BrokerRun run) throws IOException {
    Map<String, String> values = new HashMap<>(run.appSettings("lat"));
    values.put("group.id", run.group("worker"));
    values.put("rumstream.worker.id", run.id());
    values.put("rumstream.model.store", run.stateDir("models").toString());
    values.put("rumstream.job.default.hp.retain_count", Integer.toString(retainCount));
    values.put("rumstream.eval.retain.sample", Integer.toString(evalRetainSample));
    values.put("rumstream.eval.mia.shadow.size", Integer.toString(miaShadowSize));
    return WorkerConfig.from(Settings.of(WorkerConfig.DEFAULTS, values));
  }

  private static void awaitWorker(WorkerService worker) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (worker.problem() != null) {
      if (!worker.alive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("The worker did not start: " + worker.problem());
      }
      Thread.sleep(100);
    }
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

  // ------------------------------------------------------------------------------------------------ the parts

  /** Every closed forget set with the worker's metrics of its jobs, in closing order. */
  private static List<SetRow> sets(PipelineRecords records) {
    Map<String, List<UnlearningMetrics>> bySet =
        records.metrics().values().stream()
            .collect(Collectors.groupingBy(UnlearningMetrics::getForgetSetId));
    return records.forgetSets().values().stream()
        .sorted(Comparator.comparing(ForgetSet::getClosedAt))
        .map(
            set -> {
              List<UnlearningMetrics> jobs =
                  bySet.getOrDefault(set.getForgetSetId(), List.of()).stream()
                      .sorted(Comparator.comparing(UnlearningMetrics::getVersion))
                      .toList();
              Instant issuedAt =
                  set.getRequestIds().stream()
                      .map(id -> records.completed().get(id))
                      .filter(Objects::nonNull)
                      .map(seen -> seen.receipt().getIssuedAt())
                      .min(Comparator.naturalOrder())
                      .orElse(null);
              Instant started =
                  jobs.stream()
                      .map(UnlearningMetrics::getStartedAt)
                      .filter(Objects::nonNull)
                      .min(Comparator.naturalOrder())
                      .orElse(null);
              return new SetRow(set, jobs, started, issuedAt);
            })
        .toList();
  }

  private static List<Row> rows(List<Sent> sent, PipelineRecords records, List<SetRow> sets) {
    Map<String, SetRow> setOf = new HashMap<>();
    sets.forEach(s -> s.set().getRequestIds().forEach(id -> setOf.put(id, s)));
    List<Row> rows = new ArrayList<>(sent.size());
    for (Sent s : sent) {
      PipelineRecords.Seen done = records.completed().get(s.requestId());
      SetRow set = setOf.get(s.requestId());
      if (done == null || set == null || set.startedAt() == null) {
        String status =
            records.rejected().containsKey(s.requestId())
                ? "rejected"
                : done != null
                    ? "completed without its forget set or job metrics"
                    : set != null
                        ? "missing: in forget set "
                            + set.set().getForgetSetId()
                            + ", no COMPLETED receipt"
                        : records.accepted().containsKey(s.requestId())
                            ? "missing: accepted, never in a closed forget set"
                            : "missing: no receipt at all";
        rows.add(
            new Row(
                s.requestId(),
                s.requestedAt(),
                status,
                set == null ? null : set.set().getForgetSetId(),
                null,
                null,
                null,
                null,
                null,
                null,
                null));
        continue;
      }
      Instant closedAt = set.set().getClosedAt();
      Instant issuedAt = done.receipt().getIssuedAt();
      rows.add(
          new Row(
              s.requestId(),
              s.requestedAt(),
              "completed",
              set.set().getForgetSetId(),
              set.set().getCloseReason().name(),
              millis(s.requestedAt(), closedAt),
              millis(closedAt, set.startedAt()),
              millis(set.startedAt(), issuedAt),
              millis(s.requestedAt(), issuedAt),
              set.algorithmMs(),
              millis(issuedAt, done.seenAt())));
    }
    return rows;
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  // ------------------------------------------------------------------------------------------------ reporting

  /** A figure of the table; the last two are not parts of the total. */
  private record Part(String name, ToLongFunction<Row> millis) {}

  private static final List<Part> PARTS =
      List.of(
          new Part("total", Row::totalMs),
          new Part("window wait", Row::windowMs),
          new Part("queue wait", Row::queueMs),
          new Part("unlearning", Row::unlearningMs),
          new Part("  of which algorithms", Row::algorithmMs),
          new Part("receipt readable after", Row::visibleMs));

  private Map<String, Object> report(
      List<Row> rows,
      List<SetRow> sets,
      PipelineRecords records,
      String loadBefore,
      String loadAfter) {
    List<Row> done = rows.stream().filter(r -> r.status().equals("completed")).toList();
    Map<String, Long> byStatus =
        rows.stream()
            .collect(Collectors.groupingBy(Row::status, TreeMap::new, Collectors.counting()));
    long twice = records.completions().values().stream().filter(n -> n > 1).count();
    OUT.println();
    OUT.println(
        "Forget sets (seconds from the first request sent; queue = closed -> worker took up the first job)");
    OUT.printf(
        "%-5s %8s %9s %8s %-11s %7s %7s %11s  %s%n",
        "set",
        "requests",
        "examples",
        "closed",
        "by",
        "queue",
        "unlearn",
        "algorithms",
        "jobs (level algorithm examples seconds)");
    Instant t0 = rows.isEmpty() ? Instant.now() : rows.get(0).requestedAt();
    for (int i = 0; i < sets.size(); i++) {
      SetRow s = sets.get(i);
      OUT.printf(
          "%-5d %8d %9d %8.1f %-11s %7s %7s %11.1f  %s%n",
          i + 1,
          s.set().getRequestIds().size(),
          s.set().getExamples().size(),
          millis(t0, s.set().getClosedAt()) / 1000.0,
          s.set().getCloseReason(),
          seconds(s.startedAt() == null ? null : millis(s.set().getClosedAt(), s.startedAt())),
          seconds(
              s.startedAt() == null || s.issuedAt() == null
                  ? null
                  : millis(s.startedAt(), s.issuedAt())),
          s.algorithmMs() / 1000.0,
          s.jobs().stream()
              .map(
                  j ->
                      String.format(
                          Locale.ROOT,
                          "%s %s %d %.1f",
                          j.getLevel(),
                          j.getAlgorithm(),
                          j.getForgetSize(),
                          j.getWallTimeMillis() / 1000.0))
              .collect(Collectors.joining(", ")));
    }
    OUT.println();
    OUT.printf(
        "Requests: %d sent; %s; completed twice: %d%n",
        rows.size(),
        byStatus.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", ")),
        twice);
    rows.stream()
        .filter(r -> r.status().startsWith("missing") || r.status().startsWith("completed without"))
        .forEach(
            r ->
                OUT.printf(
                    "  NOT COUNTED %s (sent %s): %s%n",
                    r.requestId(), r.requestedAt(), r.status()));
    OUT.printf(
        "Latency of the %d completed requests, seconds (nearest-rank percentiles); total = window wait + "
            + "queue wait + unlearning for every request%n",
        done.size());
    OUT.printf("%-24s %6s %8s %8s %8s %8s %8s%n", "", "count", "p50", "p95", "p99", "max", "mean");
    Map<String, Object> distributions = new LinkedHashMap<>();
    for (Part part : PARTS) {
      Distribution d = Distribution.of(done.stream().mapToLong(part.millis()).toArray());
      OUT.printf(
          "%-24s %6d %8.2f %8.2f %8.2f %8.2f %8.2f%n",
          part.name(),
          d.count(),
          d.p50() / 1000.0,
          d.p95() / 1000.0,
          d.p99() / 1000.0,
          d.max() / 1000.0,
          d.mean() / 1000.0);
      distributions.put(part.name().trim(), d);
    }
    long mismatched =
        done.stream()
            .filter(r -> r.windowMs() + r.queueMs() + r.unlearningMs() != r.totalMs())
            .count();
    OUT.printf(
        "parts that do not add up to the total: %d of %d requests%n", mismatched, done.size());
    OUT.printf("load average before %s, after %s%n", loadBefore, loadAfter);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("sent", rows.size());
    summary.put("byStatus", byStatus);
    summary.put("completedTwice", twice);
    summary.put("partsNotAddingUp", mismatched);
    summary.put("millis", distributions);
    return summary;
  }

  private static String seconds(Long millis) {
    return millis == null ? "-" : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  private void writeJson(
      Path file,
      String runId,
      Instant startedAt,
      String loadBefore,
      String loadAfter,
      VersionManifest v0,
      Map<String, Object> summary,
      List<SetRow> sets,
      List<Row> rows)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "pipeline-latency");
    root.put("date", startedAt.toString());
    root.put("runId", runId);
    root.put("machine", broker.machine(loadBefore, loadAfter));
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("ratePerSecond", rate);
    parameters.put("duration", duration.toString());
    parameters.put("window", window.toString());
    parameters.put("grace", grace.toString());
    parameters.put("maxWait", maxWait.toString());
    parameters.put("maxIdsPerRequest", maxIds);
    parameters.put("retainCount", retainCount);
    parameters.put("evalRetainSample", evalRetainSample);
    parameters.put("miaShadowSize", miaShadowSize);
    parameters.put("unlearnEpochs", unlearnEpochs);
    parameters.put(
        "policy",
        "streams-app default (RUM: low nothing, medium Fine-tune lr 0.1, high SalUn lr 0.1), "
            + "epochs capped at unlearnEpochs");
    parameters.put("seed", seed);
    root.put("parameters", parameters);
    root.put(
        "model",
        Map.of(
            "id",
            modelId,
            "architecture",
            v0.architecture(),
            "datasetSize",
            v0.datasetSize(),
            "recipe",
            v0.hyperParameters(),
            "testAccuracy",
            v0.evidence().testAccuracy()));
    root.put("summary", summary);
    root.put("forgetSets", sets.stream().map(PipelineLatency::setJson).toList());
    root.put("requests", rows);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    new ObjectMapper()
        .findAndRegisterModules()
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), root);
  }

  private static Map<String, Object> setJson(SetRow s) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("forgetSetId", s.set().getForgetSetId());
    json.put("closeReason", s.set().getCloseReason().name());
    json.put("closedAt", s.set().getClosedAt().toString());
    json.put("requests", s.set().getRequestIds().size());
    json.put("examples", s.set().getExamples().size());
    json.put("workerStartedAt", s.startedAt() == null ? null : s.startedAt().toString());
    json.put("receiptsIssuedAt", s.issuedAt() == null ? null : s.issuedAt().toString());
    json.put(
        "jobs",
        s.jobs().stream()
            .map(
                j -> {
                  Map<String, Object> job = new LinkedHashMap<>();
                  job.put("jobId", j.getJobId());
                  job.put("level", String.valueOf(j.getLevel()));
                  job.put("algorithm", String.valueOf(j.getAlgorithm()));
                  job.put("examples", j.getForgetSize());
                  job.put("startedAt", String.valueOf(j.getStartedAt()));
                  job.put("measuredAt", j.getMeasuredAt().toString());
                  job.put("algorithmMillis", j.getWallTimeMillis());
                  return job;
                })
            .toList());
    return json;
  }
}
