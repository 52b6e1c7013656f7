package dev.rumstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The figures of a pipeline-latency run: each request's latency split into its parts, each forget
 * set's timeline, the table printed and the JSON written (bench/README.md).
 */
final class LatencyReport {
  private static final PrintStream OUT = System.out;

  private final PipelineLatency options;

  LatencyReport(PipelineLatency options) {
    this.options = options;
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
      Long purgeGraceMs,
      Long visibleMs) {}

  /**
   * One forget set: when it closed, when the worker took up its first job, when its receipts were
   * issued.
   */
  record SetRow(
      ForgetSet set,
      List<UnlearningMetrics> jobs,
      Instant startedAt,
      Instant issuedAt,
      long purgeGraceMs) {
    /** Every attempt's algorithm, rejected ones and retrains included. */
    long algorithmMs() {
      return jobs.stream().mapToLong(UnlearningMetrics::getWallTimeMillis).sum();
    }

    /** The algorithms of attempts the promotion gate rejected. */
    long rejectedAlgorithmMs() {
      return jobs.stream()
          .filter(j -> j.getStatus() == VersionStatus.REJECTED)
          .mapToLong(UnlearningMetrics::getWallTimeMillis)
          .sum();
    }

    /**
     * The worker's time on the set beyond its algorithms and the purge grace it waits out after the
     * last job (loading, measuring, storing, gating, publishing), or null when it did not complete.
     * The last job's announcement runs inside the grace and is not counted.
     */
    Long overheadMs() {
      return startedAt == null || issuedAt == null
          ? null
          : Duration.between(startedAt, issuedAt).toMillis() - algorithmMs() - purgeGraceMs;
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

  /** Every closed forget set with the worker's metrics of its jobs, in closing order. */
  static List<SetRow> sets(PipelineRecords records, Duration purgeGrace) {
    Map<String, List<UnlearningMetrics>> bySet =
        records.metrics().values().stream()
            .collect(Collectors.groupingBy(UnlearningMetrics::getForgetSetId));
    return records.forgetSets().values().stream()
        .sorted(Comparator.comparing(ForgetSet::getClosedAt))
        .map(
            set -> {
              List<UnlearningMetrics> jobs =
                  bySet.getOrDefault(set.getForgetSetId(), List.of()).stream()
                      .sorted(
                          Comparator.comparing(UnlearningMetrics::getJobId)
                              .thenComparing(UnlearningMetrics::getVersion))
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
              return new SetRow(set, jobs, started, issuedAt, purgeGrace.toMillis());
            })
        .toList();
  }

  static List<Row> rows(List<Sent> sent, PipelineRecords records, List<SetRow> sets) {
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
              set.purgeGraceMs(),
              millis(issuedAt, done.seenAt())));
    }
    return rows;
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  /** A figure of the table; the last three are not parts of the total. */
  private record Part(String name, ToLongFunction<Row> millis) {}

  private static final List<Part> PARTS =
      List.of(
          new Part("total", Row::totalMs),
          new Part("window wait", Row::windowMs),
          new Part("queue wait", Row::queueMs),
          new Part("unlearning", Row::unlearningMs),
          new Part("  of which algorithms", Row::algorithmMs),
          new Part("  of which purge grace", Row::purgeGraceMs),
          new Part(
              "  worker overhead beyond them",
              r -> r.unlearningMs() - r.algorithmMs() - r.purgeGraceMs()),
          new Part("receipt readable after", Row::visibleMs));

  Map<String, Object> report(
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
        "%-5s %8s %9s %8s %-11s %7s %7s %11s %9s  %s%n",
        "set",
        "requests",
        "examples",
        "closed",
        "by",
        "queue",
        "unlearn",
        "algorithms",
        "overhead",
        "jobs (level algorithm examples seconds)");
    Instant t0 = rows.isEmpty() ? Instant.now() : rows.get(0).requestedAt();
    for (int i = 0; i < sets.size(); i++) {
      SetRow s = sets.get(i);
      OUT.printf(
          "%-5d %8d %9d %8.1f %-11s %7s %7s %11.1f %9s  %s%n",
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
          seconds(s.overheadMs()),
          s.jobs().stream()
              .map(
                  j ->
                      String.format(
                          Locale.ROOT,
                          "%s %s %d %.1f%s",
                          j.getLevel(),
                          j.getAlgorithm(),
                          j.getForgetSize(),
                          j.getWallTimeMillis() / 1000.0,
                          j.getStatus() == VersionStatus.REJECTED ? " rejected" : ""))
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
    Distribution overhead =
        Distribution.of(
            sets.stream()
                .map(SetRow::overheadMs)
                .filter(Objects::nonNull)
                .mapToLong(Long::longValue)
                .toArray());
    long rejected = sets.stream().mapToLong(SetRow::rejectedAlgorithmMs).sum();
    OUT.printf(
        "worker overhead beyond algorithms and the %.0f s purge grace per forget set: p50 %.2f s, p95"
            + " %.2f s, max %.2f s over %d sets (bar: p50 <= 1 s); algorithms of rejected attempts"
            + " %.1f s in all%n",
        options.purgeGrace.toMillis() / 1000.0,
        overhead.p50() / 1000.0,
        overhead.p95() / 1000.0,
        overhead.max() / 1000.0,
        overhead.count(),
        rejected / 1000.0);
    summary.put("setOverheadMillis", overhead);
    summary.put("rejectedAlgorithmMillis", rejected);
    return summary;
  }

  private static String seconds(Long millis) {
    return millis == null ? "-" : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  void writeJson(
      Path file,
      String runId,
      Instant startedAt,
      String loadBefore,
      String loadAfter,
      VersionManifest v0,
      String policy,
      Map<String, Object> summary,
      List<SetRow> sets,
      List<Row> rows)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "pipeline-latency");
    root.put("date", startedAt.toString());
    root.put("runId", runId);
    root.put("machine", options.broker.machine(loadBefore, loadAfter));
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("ratePerSecond", options.rate);
    parameters.put("duration", options.duration.toString());
    parameters.put("window", options.window.toString());
    parameters.put("grace", options.grace.toString());
    parameters.put("maxWait", options.maxWait.toString());
    parameters.put("maxIdsPerRequest", options.maxIds);
    parameters.put("retainCount", options.retainCount);
    parameters.put("evalRetainSample", options.evalRetainSample);
    parameters.put("evalTestSample", options.evalTestSample);
    parameters.put("miaShadowSize", options.miaShadowSize);
    parameters.put("purgeGrace", options.purgeGrace.toString());
    parameters.put("unlearnEpochs", options.unlearnEpochs);
    parameters.put("policy", policy + ", epochs capped at unlearnEpochs");
    parameters.put("seed", options.seed);
    root.put("parameters", parameters);
    root.put(
        "model",
        Map.of(
            "id",
            options.modelId,
            "architecture",
            v0.architecture(),
            "datasetSize",
            v0.datasetSize(),
            "recipe",
            v0.hyperParameters(),
            "testAccuracy",
            v0.evidence().testAccuracy()));
    root.put("summary", summary);
    root.put("forgetSets", sets.stream().map(LatencyReport::setJson).toList());
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
    json.put("algorithmMillis", s.algorithmMs());
    json.put("purgeGraceMillis", s.purgeGraceMs());
    json.put("overheadMillis", s.overheadMs());
    json.put(
        "jobs",
        s.jobs().stream()
            .map(
                j -> {
                  Map<String, Object> job = new LinkedHashMap<>();
                  job.put("jobId", j.getJobId());
                  job.put("level", String.valueOf(j.getLevel()));
                  job.put("algorithm", String.valueOf(j.getAlgorithm()));
                  job.put("attempt", j.getAttempt());
                  job.put("status", String.valueOf(j.getStatus()));
                  job.put("examples", j.getForgetSize());
                  job.put("startedAt", String.valueOf(j.getStartedAt()));
                  job.put("measuredAt", j.getMeasuredAt().toString());
                  job.put("algorithmMillis", j.getWallTimeMillis());
                  job.put(
                      "gate",
                      j.getGate() == null
                          ? null
                          : j.getGate().getChecks().stream()
                              .filter(c -> c.getValue() != null)
                              .collect(
                                  Collectors.toMap(
                                      c -> c.getName(),
                                      c ->
                                          c.getValue()
                                              + (c.getMargin() == null ? "" : " ± " + c.getMargin())
                                              + " <= "
                                              + c.getLimit(),
                                      (a, b) -> a,
                                      LinkedHashMap::new)));
                  return job;
                })
            .toList());
    return json;
  }
}
