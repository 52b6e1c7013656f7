package dev.rumstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rumstream.bench.PipelineThroughput.LatencyPass;
import dev.rumstream.bench.PipelineThroughput.Pass;
import dev.rumstream.bench.PipelineThroughput.Restore;
import dev.rumstream.bench.PipelineThroughput.Rung;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of a pipeline-throughput run: the table printed and the JSON written. */
final class ThroughputReport {
  private static final PrintStream OUT = System.out;

  private final PipelineThroughput options;
  private final BrokerRun run;

  ThroughputReport(PipelineThroughput options, BrokerRun run) {
    this.options = options;
    this.run = run;
  }

  /** The bars of the performance issue, checked on this run's medians. */
  static final double RATIO_BAR = 0.10;

  static final long CHANGELOG_BYTES_BAR = 2048;

  Map<String, Object> report(List<Pass> passes, List<LatencyPass> latency, List<Restore> restores) {
    int ladder = options.partitions.get(0);
    OUT.println();
    OUT.printf(
        "Results: requests/s = records / (first send .. last expected output read), timed passes of at least"
            + " %ds after a discarded warm-up; %d partition(s)%n",
        options.passSeconds, ladder);
    OUT.printf("%-28s", "rung");
    for (int round = 1; round <= options.rounds; round++) {
      OUT.printf(" %16s", "round " + round);
    }
    OUT.printf(" %14s %12s %10s%n", "median", "/ passthrough", "CPU cores");
    double passthrough = median(passes, Rung.PASSTHROUGH, ladder);
    Map<String, Object> ladderSummary = new LinkedHashMap<>();
    for (Rung rung : Rung.values()) {
      OUT.printf("%-28s", rung.label);
      for (int round = 1; round <= options.rounds; round++) {
        TimedRun.Result r = find(passes, rung, ladder, round).result();
        OUT.printf(" %,9.0f (%4.0fs)", r.recordsPerSecond(), r.seconds());
      }
      double median = median(passes, rung, ladder);
      OUT.printf(
          " %,14.0f %12.4f %10s%n", median, median / passthrough, cpuList(passes, rung, ladder));
      ladderSummary.put(
          rung.name(),
          Map.of(
              "medianRequestsPerSecond",
              round1(median),
              "ratioToPassthrough",
              Math.round(median / passthrough * 100_000) / 100_000.0));
    }
    double topology = median(passes, Rung.TOPOLOGY, ladder);
    double ratio = topology / passthrough;

    OUT.println();
    OUT.println(
        "The full topology with one hot model (keys: model and request bucket), a stream thread per partition:");
    Map<String, Object> scaling = new LinkedHashMap<>();
    for (int p : options.partitions) {
      double median = median(passes, Rung.TOPOLOGY, p);
      OUT.printf(
          "  %d partition(s): %,10.0f requests/s median (%s), %.2f x one partition's%n",
          p,
          median,
          passes.stream()
              .filter(x -> x.rung() == Rung.TOPOLOGY && x.partitions() == p)
              .map(x -> String.format(Locale.ROOT, "%,.0f", x.result().recordsPerSecond()))
              .collect(Collectors.joining(" / ")),
          median / topology);
      scaling.put(Integer.toString(p), round1(median));
    }

    OUT.println();
    List<Pass> logged =
        passes.stream().filter(p -> p.rung() == Rung.TOPOLOGY && p.partitions() == ladder).toList();
    double bytesPerRequest =
        medianOf(logged.stream().mapToDouble(p -> perRequest(p.changelog().bytes(), p)).toArray());
    double recordsPerRequest =
        medianOf(
            logged.stream().mapToDouble(p -> perRequest(p.changelog().records(), p)).toArray());
    OUT.printf(
        "Changelog of the full topology per accepted request (median of %d applications): %.0f bytes, %.2f"
            + " records; by store in round 1:%n",
        logged.size(), bytesPerRequest, recordsPerRequest);
    Pass first = logged.get(0);
    first
        .changelog()
        .recordsAndBytes()
        .forEach(
            (topic, size) ->
                OUT.printf(
                    "  %-48s %8.0f bytes %6.2f records%n",
                    topic, perRequest(size[1], first), perRequest(size[0], first)));

    OUT.println();
    Map<String, Object> latencySummary = new LinkedHashMap<>();
    for (LatencyPass pass : latency) {
      long[] micros = pass.result().latencyMicros();
      OUT.printf(
          "Open loop at %.0f%% of capacity (%,.0f requests/s offered, %,.0f done): request to visible receipt"
              + " p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d requests%n",
          100 * pass.load(),
          pass.rate(),
          pass.result().recordsPerSecond(),
          percentile(micros, 50) / 1000.0,
          percentile(micros, 99) / 1000.0,
          micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0,
          micros.length);
      latencySummary.put(
          String.format(Locale.ROOT, "%.2f", pass.load()),
          Map.of(
              "offeredPerSecond",
              round1(pass.rate()),
              "p50Ms",
              percentile(micros, 50) / 1000.0,
              "p99Ms",
              percentile(micros, 99) / 1000.0,
              "requests",
              micros.length));
    }

    OUT.println();
    OUT.printf(
        "Bar: full topology / passthrough = %.4f (bar %.2f, aim 0.3): %s%n",
        ratio, RATIO_BAR, ratio >= RATIO_BAR ? "met" : "NOT met");
    OUT.printf(
        "Bar: changelog per request = %.0f bytes (bar %d): %s%n",
        bytesPerRequest,
        CHANGELOG_BYTES_BAR,
        bytesPerRequest <= CHANGELOG_BYTES_BAR ? "met" : "NOT met");
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("ladder", ladderSummary);
    summary.put("ratioTopologyToPassthrough", Math.round(ratio * 100_000) / 100_000.0);
    summary.put("ratioBarMet", ratio >= RATIO_BAR);
    summary.put("topologyMedianByPartitions", scaling);
    summary.put("changelogBytesPerAcceptedRequest", Math.round(bytesPerRequest));
    summary.put("changelogRecordsPerAcceptedRequest", Math.round(recordsPerRequest * 100) / 100.0);
    summary.put("changelogBarMet", bytesPerRequest <= CHANGELOG_BYTES_BAR);
    summary.put("openLoopLatency", latencySummary);
    summary.putAll(restarts(restores));
    return summary;
  }

  /** The restarts after SIGKILL and SIGTERM, printed; the summary's "restarts". */
  Map<String, Object> restarts(List<Restore> restores) {
    List<Map<String, Object>> restarts = new ArrayList<>();
    restores.forEach(r -> restarts.add(restart(r)));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("restarts", restarts);
    return summary;
  }

  private static Map<String, Object> restart(Restore restore) {
    OUT.printf(
        "%nRestart of the topology's process (%s group membership) after %,d requests (changelog %,d"
            + " records, %,d bytes), seconds from the process start until RUNNING, then until %d new"
            + " requests' receipts:%n",
        restore.staticMembership() ? "static" : "dynamic",
        restore.requests(),
        restore.changelog().records(),
        restore.changelog().bytes(),
        restore.probe());
    OUT.printf("  %-24s %8.2f%n", "empty state", restore.coldStartSeconds());
    Map<String, Object> restart = new LinkedHashMap<>();
    restart.put("groupMembership", restore.staticMembership() ? "static" : "dynamic");
    restart.put("requestsBeforeTheKill", restore.requests());
    restart.put("changelogRecords", restore.changelog().records());
    restart.put("changelogBytes", restore.changelog().bytes());
    restart.put("changelogByTopic", byTopic(restore.changelog()));
    restart.put("emptyStateRunningSeconds", round3(restore.coldStartSeconds()));
    restart.put("afterKill", restart("after SIGKILL", restore.afterKill()));
    restart.put("afterTerm", restart("after SIGTERM", restore.afterStop()));
    restart.put("probeRequests", restore.probe());
    return restart;
  }

  private static Map<String, Object> restart(String label, PipelineThroughput.Restart restart) {
    OUT.printf(
        "  %-24s %8.2f %8.2f   %d stores restored%n",
        label, restart.runningSeconds(), restart.probeSeconds(), restart.restoredStores().size());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("runningSeconds", round3(restart.runningSeconds()));
    row.put("probeReceiptsSeconds", round3(restart.probeSeconds()));
    row.put("restoreLog", restart.restoredStores());
    return row;
  }

  private static Map<String, Object> byTopic(PipelineThroughput.Changelog changelog) {
    Map<String, Object> byTopic = new LinkedHashMap<>();
    changelog
        .recordsAndBytes()
        .forEach((t, v) -> byTopic.put(t, Map.of("records", v[0], "bytes", v[1])));
    return byTopic;
  }

  private static double round3(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static double perRequest(long amount, Pass pass) {
    return (double) amount / pass.changelog().acceptedRequests();
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String cpuList(List<Pass> passes, Rung rung, int partitions) {
    return passes.stream()
        .filter(p -> p.rung() == rung && p.partitions() == partitions)
        .map(p -> String.format(Locale.ROOT, "%.2f", p.result().streamThreadCpu()))
        .collect(Collectors.joining("/"));
  }

  static void printStacks(String label, TimedRun.Result result) {
    if (result.stackShares().isEmpty()) {
      return;
    }
    OUT.printf(
        "  [%s] stream-thread stack samples every 10 ms: where the thread was (first match, adds to 100%%)%n",
        label);
    result
        .stackShares()
        .forEach(
            (marker, share) -> {
              if (!marker.startsWith("incl. ")) {
                OUT.printf("      %5.1f%%  %s%n", 100 * share, marker);
              }
            });
    OUT.printf("  [%s] ... and inside which processor (inclusive)%n", label);
    result
        .stackShares()
        .forEach(
            (marker, share) -> {
              if (marker.startsWith("incl. ")) {
                OUT.printf("      %5.1f%%  %s%n", 100 * share, marker.substring(6));
              }
            });
    OUT.printf("  [%s] innermost frames:%n", label);
    result
        .topFrames()
        .forEach((frame, share) -> OUT.printf("      %5.1f%%  %s%n", 100 * share, frame));
  }

  private static Pass find(List<Pass> passes, Rung rung, int partitions, int round) {
    return passes.stream()
        .filter(p -> p.rung() == rung && p.partitions() == partitions && p.round() == round)
        .findFirst()
        .orElseThrow();
  }

  static double median(List<Pass> passes, Rung rung, int partitions) {
    return medianOf(
        passes.stream()
            .filter(p -> p.rung() == rung && p.partitions() == partitions)
            .mapToDouble(p -> p.result().recordsPerSecond())
            .toArray());
  }

  private static double medianOf(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  void writeJson(
      Path file,
      Instant startedAt,
      String loadBefore,
      String loadAfter,
      Workload.Requests workload,
      List<Pass> passes,
      List<LatencyPass> latency,
      Map<String, Object> summary)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "pipeline-throughput");
    root.put("date", startedAt.toString());
    root.put("runId", run.id());
    root.put("machine", options.broker.machine(loadBefore, loadAfter));
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("requests", options.requests);
    parameters.put("rounds", options.rounds);
    parameters.put("passSeconds", options.passSeconds);
    parameters.put("warmupSeconds", options.warmupSeconds);
    parameters.put("warmupRecords", options.warmupRecords);
    parameters.put("partitions", options.partitions);
    parameters.put("latencyLoads", options.latencyLoads);
    parameters.put("restoreRequests", options.restoreRequests);
    parameters.put("processingGuarantee", options.processingGuarantee);
    parameters.put("commitIntervalMs", options.commitIntervalMs);
    parameters.put("appSettings", options.appSettings);
    parameters.put("datasetSize", options.datasetSize);
    parameters.put("scoredExamples", options.scoredExamples);
    parameters.put("maxIdsPerRequest", options.maxIds);
    parameters.put("duplicatePercent", options.duplicatePercent);
    parameters.put("invalidPercent", options.invalidPercent);
    parameters.put("maxForgetSetExamples", options.maxForgetSetExamples);
    parameters.put("seed", options.seed);
    parameters.put("sampleStacks", options.sampleStacks);
    parameters.put(
        "ladder",
        List.of(
            "PASSTHROUGH: Kafka Streams stream(in).to(out), byte[] serdes, same guarantee and commit interval",
            "DECODE_RECEIPT: each request decoded (registry wire format), answered with an ACCEPTED receipt",
            "STORE: as DECODE_RECEIPT, and each request id put in one cached, changelogged RocksDB store",
            "TOPOLOGY: DeletionService (streams-app defaults; window 1h, max.wait 1h), a stream thread per"
                + " partition; time until every ACCEPTED/REJECTED receipt is read back (read_committed)"));
    root.put("parameters", parameters);
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("distinctRequests", workload.distinct());
    load.put("duplicateRecords", workload.duplicates());
    load.put("invalidRecords", workload.invalid());
    load.put("exampleIds", workload.exampleIds());
    load.put("records", workload.records().size());
    root.put("workload", load);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Pass pass : passes) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("round", pass.round());
      row.put("rung", pass.rung().name());
      row.put("partitions", pass.partitions());
      row.put("records", pass.result().records());
      row.put("outputsRead", pass.result().outputs());
      row.put("seconds", Math.round(pass.result().seconds() * 1000) / 1000.0);
      row.put("requestsPerSecond", round1(pass.result().recordsPerSecond()));
      row.put("allSentAfterSeconds", Math.round(pass.result().sendSeconds() * 1000) / 1000.0);
      row.put("loadAverageAtStart", pass.loadAtStart());
      row.put("loadAverageAtEnd", pass.loadAtEnd());
      row.put("streamThreadCpuCores", Math.round(pass.result().streamThreadCpu() * 100) / 100.0);
      row.put("benchProcessCpuCores", Math.round(pass.result().processCpu() * 100) / 100.0);
      if (!pass.topologyOutput().isEmpty()) {
        row.put("topology", pass.topologyOutput());
      }
      if (pass.changelog() != null) {
        Map<String, Object> changelog = new LinkedHashMap<>();
        changelog.put("acceptedRequests", pass.changelog().acceptedRequests());
        changelog.put("records", pass.changelog().records());
        changelog.put("bytes", pass.changelog().bytes());
        changelog.put("byTopic", byTopic(pass.changelog()));
        row.put("changelog", changelog);
      }
      if (!pass.result().stackShares().isEmpty()) {
        Map<String, Double> percent = new LinkedHashMap<>();
        pass.result().stackShares().forEach((k, v) -> percent.put(k, Math.round(v * 1000) / 10.0));
        row.put("streamThreadStackSamplesPercent", percent);
      }
      rows.add(row);
    }
    root.put("passes", rows);
    List<Map<String, Object>> open = new ArrayList<>();
    for (LatencyPass pass : latency) {
      long[] micros = pass.result().latencyMicros();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("load", pass.load());
      row.put("offeredPerSecond", round1(pass.rate()));
      row.put("donePerSecond", round1(pass.result().recordsPerSecond()));
      row.put("requests", micros.length);
      row.put("p50Ms", percentile(micros, 50) / 1000.0);
      row.put("p90Ms", percentile(micros, 90) / 1000.0);
      row.put("p99Ms", percentile(micros, 99) / 1000.0);
      row.put("maxMs", micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0);
      open.add(row);
    }
    root.put("openLoopLatency", open);
    root.put("summary", summary);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }
}
