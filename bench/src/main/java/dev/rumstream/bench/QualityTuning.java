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
import java.util.function.Consumer;

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
    if (!search.has("chosen")) {
      throw new IllegalStateException(
          "the search in "
              + tuningFile
              + " is not finished ("
              + search.path("trials").size()
              + " trials): go on with --tune --resume, or run --untuned");
    }
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
      List<UnlearningAlgorithm> algorithms,
      boolean resume) {
    Instant startedAt = Instant.now();
    String loadBefore = loadAverage();
    List<Map<String, Object>> trials = new ArrayList<>();
    List<Object> earlierReferences = new ArrayList<>();
    if (resume && Files.exists(tuningFile)) {
      trials.addAll(earlierTrials(tuningFile, parameters, tuningSeeds, earlierReferences));
    }
    Progress progress = new Progress(tuningSeeds.size() * (2 + Tuning.trials(algorithms)));
    List<QualitySeed> seeded = new ArrayList<>();
    // θo and θr of the tuning seeds are trained only when a trial is missing: a search whose
    // trials are all kept costs nothing.
    Runnable prepare =
        () -> {
          if (seeded.isEmpty()) {
            for (long seed : tuningSeeds) {
              seeded.add(QualitySeed.prepare(setup, seed, progress));
            }
          }
        };
    // The trials so far, and the choice once it is made (null before).
    Consumer<Map<UnlearningAlgorithm, Map<String, String>>> save =
        chosen ->
            write(
                tuningFile,
                root(
                    startedAt,
                    loadBefore,
                    parameters,
                    tuningSeeds,
                    references(seeded, earlierReferences),
                    chosen,
                    trials));
    Tuning.Result result;
    try {
      result =
          Tuning.search(
              algorithms,
              (algorithm, overrides) -> {
                prepare.run();
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
              },
              trials,
              () -> save.accept(null));
    } finally {
      seeded.forEach(QualitySeed::close);
    }
    save.accept(result.chosen());
    OUT.printf(
        Locale.ROOT,
        "tuning on seeds %s finished in %s: %s written to %s%n",
        tuningSeeds,
        Progress.clock((System.nanoTime() - progress.started) / 1e9),
        result.chosen(),
        tuningFile);
    return result.chosen();
  }

  /** The tuning file: complete once the choice is made, with every trial so far either way. */
  private static Map<String, Object> root(
      Instant startedAt,
      String loadBefore,
      Map<String, Object> parameters,
      List<Long> tuningSeeds,
      List<?> references,
      Map<UnlearningAlgorithm, Map<String, String>> chosen,
      List<Map<String, Object>> trials) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "quality-tuning");
    root.put("complete", chosen != null);
    root.put("date", startedAt.toString());
    root.put("updated", Instant.now().toString());
    root.put("machine", BenchJson.machine(loadBefore));
    root.put("parameters", parameters);
    root.put("tuningSeeds", tuningSeeds);
    root.put("search", Tuning.SEARCH);
    root.put("references", references);
    if (chosen != null) {
      root.put("chosen", chosen);
    }
    root.put("trials", trials);
    return root;
  }

  /** The tuning seeds' θo / θr summaries: this run's, or the earlier run's if none trained. */
  private static List<?> references(List<QualitySeed> seeded, List<Object> earlier) {
    return seeded.isEmpty() ? earlier : seeded.stream().map(QualitySeed::summary).toList();
  }

  private static void write(Path tuningFile, Map<String, Object> root) {
    try {
      Files.createDirectories(tuningFile.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BenchJson.write(tuningFile, root);
  }

  /**
   * The trials of an interrupted search with the same sizes and tuning seeds, to be reused; none
   * when they differ.
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> earlierTrials(
      Path tuningFile,
      Map<String, Object> parameters,
      List<Long> tuningSeeds,
      List<Object> references) {
    try {
      JsonNode earlier = BenchJson.MAPPER.readTree(tuningFile.toFile());
      for (String key :
          List.of(
              "trainExamples",
              "epochsOriginalAndRetrain",
              "forgetSet",
              "forgetSize",
              "retainCountPerStep",
              "unlearnEpochsCap",
              "miaShadowSize")) {
        Object was =
            BenchJson.MAPPER.convertValue(earlier.path("parameters").get(key), Object.class);
        Object now = BenchJson.MAPPER.convertValue(parameters.get(key), Object.class);
        if (!java.util.Objects.equals(was, now)) {
          OUT.printf(
              Locale.ROOT,
              "not resuming the search in %s: %s was %s, now %s%n",
              tuningFile,
              key,
              was,
              now);
          return List.of();
        }
      }
      List<Long> seeds = new ArrayList<>();
      earlier.path("tuningSeeds").forEach(n -> seeds.add(n.asLong()));
      if (!seeds.equals(tuningSeeds)) {
        OUT.printf(
            Locale.ROOT, "not resuming the search in %s: it ran on seeds %s%n", tuningFile, seeds);
        return List.of();
      }
      List<Map<String, Object>> trials = new ArrayList<>();
      earlier.path("trials").forEach(t -> trials.add(BenchJson.MAPPER.convertValue(t, Map.class)));
      earlier
          .path("references")
          .forEach(r -> references.add(BenchJson.MAPPER.convertValue(r, Object.class)));
      OUT.printf(
          Locale.ROOT, "resuming the search: %d trials kept from %s%n", trials.size(), tuningFile);
      return trials;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
