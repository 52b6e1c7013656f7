package dev.rumstream.bench;

import static dev.rumstream.bench.QualityBenchmark.ORIGINAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rows and θo / θr references of one run, saved after every row (so an interrupted run keeps
 * them, and {@code --resume} can go on from them: each seed's θo and θr are retrained,
 * deterministically, for the rows it lacks).
 */
final class QualityResults {

  private static final PrintStream OUT = System.out;
  private static final ObjectMapper JSON = BenchJson.MAPPER;
  private static final java.util.Set<String> SEARCHED =
      java.util.Set.of(QualityBenchmark.VANILLA, QualityBenchmark.SHUFFLE, QualityBenchmark.RUM_F);

  /** What a product row's algorithm gains once the product's default policy has changed. */
  static final String EARLIER = " (earlier default)";

  private static final java.util.Set<String> PRODUCT_ROWS =
      java.util.Set.of(
          QualityBenchmark.PRODUCT, QualityBenchmark.PRODUCT_FALLBACK, QualityBenchmark.PRODUCT_FT);

  private final Path file;
  private final Map<String, Object> parameters;
  private final Instant startedAt;
  private final String loadBefore;
  final List<Map<String, Object>> rows = new ArrayList<>();
  private final List<Map<String, Object>> references = new ArrayList<>();

  QualityResults(Path file, Map<String, Object> parameters, Instant startedAt, String loadBefore) {
    this.file = file;
    this.parameters = parameters;
    this.startedAt = startedAt;
    this.loadBefore = loadBefore;
  }

  /**
   * " (earlier default)", numbered from the second earlier default on, so that the rows of two
   * earlier defaults never share a label.
   */
  static String earlierSuffix(JsonNode rows) {
    Set<String> labels = new HashSet<>();
    rows.forEach(r -> labels.add(r.get("algorithm").asText()));
    for (int n = 1; ; n++) {
      String suffix = n == 1 ? EARLIER : " (earlier default " + n + ")";
      if (PRODUCT_ROWS.stream().noneMatch(p -> labels.contains(p + suffix))) {
        return suffix;
      }
    }
  }

  /**
   * Keeps an earlier run's rows, if it ran with the same parameters (seeds and algorithms aside).
   */
  @SuppressWarnings("unchecked")
  void resumeFrom(JsonNode earlier) {
    for (String key :
        List.of(
            "trainExamples",
            "epochsOriginalAndRetrain",
            "forgetSize",
            "retainCountPerStep",
            "unlearnEpochsCap",
            "miaShadowSize",
            "evalRetainSample",
            "evalTestSample",
            "forgetSet")) {
      Object was = JSON.convertValue(earlier.get("parameters").get(key), Object.class);
      if (!Objects.equals(JSON.convertValue(parameters.get(key), Object.class), was)) {
        throw new IllegalStateException(
            "cannot resume " + file + ": " + key + " was " + was + ", now " + parameters.get(key));
      }
    }
    // Rows of a searched algorithm are kept only if the search chose the same values for it.
    Map<String, Object> searchedNow = searched(parameters.get("hyperParameters"));
    Map<String, Object> searchedBefore = searched(earlier.get("parameters").get("hyperParameters"));
    // Rows of the product's policy stay as the history of an earlier default when it changed.
    JsonNode earlierProduct = earlier.get("parameters").get("productPolicy");
    boolean sameProduct =
        Objects.equals(
            JSON.convertValue(parameters.get("productPolicy"), Object.class),
            JSON.convertValue(earlierProduct, Object.class));
    String earlierSuffix = earlierSuffix(earlier.get("rows"));
    int dropped = 0;
    for (JsonNode r : earlier.get("rows")) {
      Map<String, Object> row = JSON.convertValue(r, Map.class);
      if (!sameProduct && PRODUCT_ROWS.contains((String) row.get("algorithm"))) {
        row.put("algorithm", row.get("algorithm") + earlierSuffix);
        row.put("policy", JSON.convertValue(earlierProduct, Object.class));
      }
      Object algorithm = row.get("algorithm");
      if (!SEARCHED.contains((String) row.get("variant"))
          || Objects.equals(searchedNow.get(algorithm), searchedBefore.get(algorithm))) {
        rows.add(row);
      } else {
        dropped++;
      }
    }
    if (dropped > 0) {
      OUT.printf(
          Locale.ROOT,
          "resuming: %d rows of searched algorithms dropped (the hyper-parameters changed)%n",
          dropped);
    }
    earlier.get("references").forEach(r -> references.add(JSON.convertValue(r, Map.class)));
    OUT.printf(
        Locale.ROOT,
        "resuming: %d rows kept from %s (started %s)%n",
        rows.size(),
        file,
        earlier.get("date").asText());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> searched(Object hyperParameters) {
    Map<String, Object> byAlgorithm = JSON.convertValue(hyperParameters, Map.class);
    return byAlgorithm == null ? Map.of() : byAlgorithm;
  }

  /** Whether every planned row of the seed is kept already. */
  boolean seedDone(long seed, List<QualityBenchmark.SeedPlan.Row> planned) {
    return planned.stream().allMatch(r -> has(seed, r.algorithm(), r.variant()));
  }

  void addSeed(QualitySeed s) {
    if (!has(s.seed(), ORIGINAL, ORIGINAL)) {
      references.add(s.summary());
      rows.add(
          QualityRuns.row(
              ORIGINAL,
              ORIGINAL,
              s.seed(),
              s.before(),
              s.reference().whole(),
              0,
              s.retrainSeconds(),
              Map.of()));
    }
  }

  void add(long seed, String algorithm, String variant, Supplier<Map<String, Object>> run) {
    if (!has(seed, algorithm, variant)) {
      rows.add(run.get());
      save(false);
    }
  }

  private boolean has(long seed, String algorithm, String variant) {
    return rows.stream()
        .anyMatch(
            r ->
                ((Number) r.get("seed")).longValue() == seed
                    && algorithm.equals(r.get("algorithm"))
                    && variant.equals(r.get("variant")));
  }

  void save(boolean complete) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "quality");
    root.put("complete", complete);
    root.put("date", startedAt.toString());
    root.put("updated", Instant.now().toString());
    root.put("machine", BenchJson.machine(loadBefore));
    root.put("parameters", parameters);
    root.put("rows", rows);
    root.put("references", references);
    BenchJson.write(file, root);
  }
}
