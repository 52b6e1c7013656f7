package dev.rumstream.bench;

import static dev.rumstream.bench.BenchJson.round;
import static dev.rumstream.bench.Machine.loadAverage;
import static dev.rumstream.bench.QualityBenchmark.VANILLA;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rumstream.bench.rum.RumPlans;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quality benchmark's hyper-parameter search as a run ({@link Tuning} holds the grid): Vanilla
 * runs on the tuning seeds, and the tuning file it writes and a later run reads.
 */
final class QualityTuning {

  private static final PrintStream OUT = System.out;

  private QualityTuning() {}

  /**
   * The hyper-parameters a tuning file chose, and the seeds they were searched on (files written
   * before the search took several seeds name one, as tuningSeed).
   */
  record Chosen(Map<UnlearningAlgorithm, Map<String, String>> byAlgorithm, List<Long> seeds) {}

  static Chosen read(Path tuningFile) throws IOException {
    JsonNode search = BenchJson.MAPPER.readTree(tuningFile.toFile());
    List<Long> searchedOn = new ArrayList<>();
    JsonNode listed =
        search.has("tuningSeeds")
            ? search.get("tuningSeeds")
            : BenchJson.MAPPER.createArrayNode().add(search.get("tuningSeed"));
    for (JsonNode seed : listed) {
      searchedOn.add(seed.asLong());
    }
    return new Chosen(Tuning.read(search), searchedOn);
  }

  /**
   * The hyper-parameter search on the tuning seeds (Vanilla runs, maximal mean ToW against each
   * seed's θr); writes every trial and the choice to the tuning file and returns the choice.
   */
  static Map<UnlearningAlgorithm, Map<String, String>> search(
      QualitySetup setup,
      Map<String, Object> parameters,
      Path tuningFile,
      List<Long> tuningSeeds,
      List<UnlearningAlgorithm> algorithms) {
    Instant startedAt = Instant.now();
    String loadBefore = loadAverage();
    Progress progress = new Progress(tuningSeeds.size() * (2 + Tuning.trials(algorithms)));
    List<QualitySeed> seeded = new ArrayList<>();
    Tuning.Result result;
    try {
      for (long seed : tuningSeeds) {
        seeded.add(QualitySeed.prepare(setup, seed, progress));
      }
      result =
          Tuning.search(
              algorithms,
              (algorithm, overrides) -> {
                List<Map<String, Object>> bySeed = new ArrayList<>();
                for (QualitySeed s : seeded) {
                  Unlearner unlearner =
                      s.engine()
                          .unlearner(
                              algorithm,
                              QualityRuns.baseHyperParameters(
                                  s.engine(), algorithm, overrides, setup.retain(), setup.cap()));
                  Map<String, Object> row =
                      QualityRuns.runVariant(
                          s,
                          progress,
                          algorithm.name(),
                          VANILLA,
                          RumPlans.vanilla(s.forget(), unlearner));
                  row.remove("steps");
                  bySeed.add(row);
                }
                Map<String, Object> trial = new LinkedHashMap<>();
                trial.put("algorithm", algorithm.name());
                trial.put("overrides", new TreeMap<>(overrides));
                trial.put(
                    "tow",
                    round(
                        bySeed.stream()
                            .mapToDouble(r -> ((Number) r.get("tow")).doubleValue())
                            .average()
                            .orElseThrow(),
                        6));
                trial.put("by_seed", bySeed);
                return trial;
              });
    } finally {
      seeded.forEach(QualitySeed::close);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "quality-tuning");
    root.put("date", startedAt.toString());
    root.put("updated", Instant.now().toString());
    root.put("machine", BenchJson.machine(loadBefore));
    root.put("parameters", parameters);
    root.put("tuningSeeds", tuningSeeds);
    root.put("search", Tuning.SEARCH);
    root.put("references", seeded.stream().map(QualitySeed::summary).toList());
    root.put("chosen", result.chosen());
    root.put("trials", result.trials());
    try {
      Files.createDirectories(tuningFile.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BenchJson.write(tuningFile, root);
    OUT.printf(
        Locale.ROOT,
        "tuning on seeds %s finished in %s: %s written to %s%n",
        tuningSeeds,
        Progress.clock((System.nanoTime() - progress.started) / 1e9),
        result.chosen(),
        tuningFile);
    return result.chosen();
  }
}
