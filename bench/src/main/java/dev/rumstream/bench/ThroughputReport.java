package dev.rumstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rumstream.bench.PipelineThroughput.Pass;
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

  Map<String, Object> report(List<Pass> passes, String loadBefore, String loadAfter) {
    OUT.println();
    OUT.printf(
        "Results: requests/s = records / (first send .. last expected output read); the topology gets the %,d "
            + "request records per pass, the passthrough the same records %d times over (%,d)%n",
        options.requests,
        options.passthroughRepeat,
        (long) options.requests * options.passthroughRepeat);
    OUT.printf("%-7s %22s %22s %10s%n", "round", "passthrough req/s", "topology req/s", "ratio");
    // The ratio is small: four decimals.
    for (int round = 1; round <= options.rounds; round++) {
      TimedRun.Result p = find(passes, "passthrough", round).result();
      TimedRun.Result t = find(passes, "topology", round).result();
      OUT.printf(
          "%-7d %,13.0f (%6.2fs) %,13.0f (%6.2fs) %10.4f%n",
          round,
          p.recordsPerSecond(),
          p.seconds(),
          t.recordsPerSecond(),
          t.seconds(),
          t.recordsPerSecond() / p.recordsPerSecond());
    }
    double passthrough = median(passes, "passthrough");
    double topology = median(passes, "topology");
    double ratio = topology / passthrough;
    OUT.printf("%-7s %,22.0f %,22.0f %10.4f%n", "median", passthrough, topology, ratio);
    OUT.printf(
        "ratio topology/passthrough (medians): %.4f  (the topology sustains %.2f%% of the passthrough's "
            + "rate)%n",
        ratio, 100 * ratio);
    OUT.printf(
        "stream-thread CPU during the passes (cores): passthrough %s, topology %s%n",
        cpuList(passes, "passthrough"), cpuList(passes, "topology"));
    OUT.printf("load average before %s, after %s%n", loadBefore, loadAfter);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("passthroughMedianRequestsPerSecond", round1(passthrough));
    summary.put("topologyMedianRequestsPerSecond", round1(topology));
    summary.put("ratioTopologyToPassthrough", Math.round(ratio * 100_000) / 100_000.0);
    return summary;
  }

  private static String cpuList(List<Pass> passes, String side) {
    return passes.stream()
        .filter(p -> p.side().equals(side))
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

  private static Pass find(List<Pass> passes, String side, int round) {
    return passes.stream()
        .filter(p -> p.side().equals(side) && p.round() == round)
        .findFirst()
        .orElseThrow();
  }

  private static double median(List<Pass> passes, String side) {
    double[] rates =
        passes.stream()
            .filter(p -> p.side().equals(side))
            .mapToDouble(p -> p.result().recordsPerSecond())
            .sorted()
            .toArray();
    int n = rates.length;
    return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
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
    parameters.put("passthroughRepeat", options.passthroughRepeat);
    parameters.put("partitions", options.partitions);
    parameters.put("processingGuarantee", options.processingGuarantee);
    parameters.put("commitIntervalMs", options.commitIntervalMs);
    parameters.put("datasetSize", options.datasetSize);
    parameters.put("scoredExamples", options.scoredExamples);
    parameters.put("maxIdsPerRequest", options.maxIds);
    parameters.put("duplicatePercent", options.duplicatePercent);
    parameters.put("invalidPercent", options.invalidPercent);
    parameters.put("maxForgetSetExamples", options.maxForgetSetExamples);
    parameters.put("seed", options.seed);
    parameters.put("sampleStacks", options.sampleStacks);
    parameters.put(
        "passthrough",
        "Kafka Streams stream(in).to(out), byte[] serdes, same guarantee and commit "
            + "interval, fed the request records passthroughRepeat times over; time until every record is read back "
            + "(read_committed)");
    parameters.put(
        "topology",
        "DeletionService (streams-app defaults; window 1h, max.wait 1h); time until every "
            + "ACCEPTED/REJECTED receipt is read back (read_committed)");
    root.put("parameters", parameters);
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("distinctRequests", workload.distinct());
    load.put("duplicateRecords", workload.duplicates());
    load.put("invalidRecords", workload.invalid());
    load.put("exampleIds", workload.exampleIds());
    load.put("expectedReceipts", workload.expectedReceipts());
    root.put("workload", load);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Pass pass : passes) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("round", pass.round());
      row.put("side", pass.side());
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
      if (!pass.result().stackShares().isEmpty()) {
        Map<String, Double> percent = new LinkedHashMap<>();
        pass.result().stackShares().forEach((k, v) -> percent.put(k, Math.round(v * 1000) / 10.0));
        row.put("streamThreadStackSamplesPercent", percent);
      }
      rows.add(row);
    }
    root.put("passes", rows);
    root.put("summary", summary);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }
}
