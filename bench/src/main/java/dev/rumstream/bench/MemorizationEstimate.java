package dev.rumstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rumstream.bench.rum.RefinedForgetSet;
import dev.rumstream.bench.rum.Refinement;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.memorization.MemorizationLevel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The per-example Feldman memorization estimate a proxy-fidelity run stored (rum-method.md §3.2,
 * subsampled: K models on 70 % subsets), reused by the quality benchmark when the run's data and
 * recipe match its own, so that the forget set's levels are the paper's: the lowest, the nearest
 * 0.5 and the highest estimates.
 */
record MemorizationEstimate(long[] ids, double[] memorization, int models, Path source) {

  static final String RESULTS = "proxy-fidelity.json";
  static final String SCORES = "proxy-fidelity-scores.csv.gz";

  /**
   * Reads the stored estimate from {@code dir} and checks that it was made on this very training
   * subset with this recipe and epoch count; otherwise says how to make one that is.
   */
  static MemorizationEstimate read(Path dir, ImageDataset train, Long subsetSeed, int epochs) {
    Path results = dir.resolve(RESULTS);
    Path scores = dir.resolve(SCORES);
    String remedy =
        "; run bench/proxy-fidelity.sh with --train-size "
            + train.size()
            + " and --epochs "
            + epochs
            + " first, or use --levels proxy";
    if (!Files.exists(results) || !Files.exists(scores)) {
      throw new IllegalStateException("no stored memorization estimate in " + dir + remedy);
    }
    try {
      JsonNode p = BenchJson.MAPPER.readTree(results.toFile()).get("parameters");
      String recipe = p.get("recipe").asText();
      boolean matches =
          p.get("trainExamples").asInt() == train.size()
              && subsetSeed != null
              && p.get("trainSubsetSeed").asLong() == subsetSeed
              && recipe.startsWith(QualitySetup.RECIPE)
              && recipe.contains(", " + epochs + " epochs");
      if (!matches) {
        throw new IllegalStateException(
            "the memorization estimate in "
                + results
                + " was made for "
                + p.get("trainExamples")
                + " examples (subset seed "
                + p.get("trainSubsetSeed")
                + ", "
                + recipe
                + "), not this run's "
                + train.size()
                + " (subset seed "
                + subsetSeed
                + ", "
                + epochs
                + " epochs)"
                + remedy);
      }
      return readScores(scores, models(results), train);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int models(Path results) throws IOException {
    return BenchJson.MAPPER.readTree(results.toFile()).get("models").asInt();
  }

  private static MemorizationEstimate readScores(Path file, int models, ImageDataset train)
      throws IOException {
    List<long[]> rows = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String[] header = in.readLine().split(",");
      int id = Arrays.asList(header).indexOf("id");
      int mem = Arrays.asList(header).indexOf("mem");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(",");
        rows.add(new long[] {Long.parseLong(f[id])});
        values.add(Double.parseDouble(f[mem]));
      }
    }
    long[] ids = rows.stream().mapToLong(r -> r[0]).toArray();
    if (ids.length != train.size()) {
      throw new IllegalStateException(
          file + " has " + ids.length + " examples, the training subset " + train.size());
    }
    for (long id : ids) {
      train.rowOf(id); // throws for an id outside this run's training subset
    }
    return new MemorizationEstimate(
        ids, values.stream().mapToDouble(Double::doubleValue).toArray(), models, file);
  }

  /** The paper's "mix" forget set: lowest, nearest 0.5 and highest estimates, perLevel each. */
  RefinedForgetSet mixed(int perLevel) {
    return Refinement.mixedByMemorization(ids, memorization, perLevel);
  }

  /**
   * What the results file says of the levels: how many examples of the subset have an estimate
   * above 0.5, each level's range of estimates, and whether the ranges are disjoint and ordered.
   */
  Map<String, Object> report(RefinedForgetSet set) {
    Map<Long, Double> byId = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      byId.put(ids[i], memorization[i]);
    }
    long above = Arrays.stream(memorization).filter(m -> m > 0.5).count();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("source", source.toString());
    r.put("estimatorModels", models);
    r.put("subsetExamples", ids.length);
    r.put("examplesAboveHalf", above);
    r.put("shareAboveHalf", BenchJson.round((double) above / ids.length, 4));
    double previousMax = Double.NEGATIVE_INFINITY;
    boolean disjoint = true;
    Map<String, Object> ranges = new LinkedHashMap<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      double[] m = Arrays.stream(set.level(level)).mapToDouble(byId::get).sorted().toArray();
      ranges.put(
          level.name(),
          Map.of(
              "n", m.length,
              "min", BenchJson.round(m[0], 4),
              "max", BenchJson.round(m[m.length - 1], 4),
              "mean", BenchJson.round(Arrays.stream(m).average().orElseThrow(), 4)));
      disjoint &= m[0] >= previousMax;
      previousMax = m[m.length - 1];
    }
    r.put("levels", ranges);
    r.put("levelsDisjointAndOrdered", disjoint);
    return r;
  }
}
