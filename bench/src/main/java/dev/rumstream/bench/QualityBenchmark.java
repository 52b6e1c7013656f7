package dev.rumstream.bench;

import static dev.rumstream.bench.Machine.loadAverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.UnlearningEngine.TrainedModel;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.EvaluationSets;
import dev.rumstream.engine.eval.Evaluator;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.eval.TugOfWar;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.ProxyKind;
import dev.rumstream.engine.memorization.RefinedForgetSet;
import dev.rumstream.engine.memorization.Refinement;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.rum.Rum;
import dev.rumstream.engine.rum.RumPlans;
import dev.rumstream.engine.rum.RumStep;
import dev.rumstream.engine.rum.RumStepResult;
import dev.rumstream.engine.train.TrainingRecipe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Unlearning quality against the paper (issue 7, item 1) on Fashion-MNIST with the small CNN.
 *
 * <p>Per seed: trains the original θo with the learning-event proxies, builds the paper's "mix"
 * forget set by the confidence proxy (the k least memorized, the k nearest the median, the k most
 * memorized), retrains the reference θr on D_train \ S (timed: the cost unit), then runs every
 * algorithm as Vanilla, Shuffle and RUM^F, and full RUM as released (nothing / Fine-tune / SalUn).
 * Each result is measured against θr: ToW, ToW-MIA, forget / retain / test accuracy, MIA (fraction
 * of S predicted non-member), wall time and its ratio to the retraining time of the same seed.
 *
 * <p>Hyper-parameters are the engine's defaults (the paper code's, rum-method.md §5.3 and
 * unlearn-engine/ENGINE.md) unless a tuning file says otherwise: {@code --tune} searches them as
 * the paper did, on a seed that is never reported ({@link Tuning}). The quick profile shrinks the
 * data and the epochs so that a run fits in minutes on 2 cores; its numbers are for trying changes,
 * not for comparison with the paper.
 */
@Command(
    name = "quality-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Unlearning quality (ToW, ToW-MIA, accuracies, MIA, cost vs retraining) of Vanilla, Shuffle, "
            + "RUM^F and full RUM on Fashion-MNIST; writes bench/results/quality-<profile>.json and PNG plots.")
public final class QualityBenchmark implements Callable<Integer> {

  private static final PrintStream OUT = System.out;

  /** The algorithms of the paper's RUM table, in its order. */
  static final List<UnlearningAlgorithm> ALGORITHMS =
      List.of(
          UnlearningAlgorithm.FINE_TUNE,
          UnlearningAlgorithm.L1_SPARSE,
          UnlearningAlgorithm.NEG_GRAD,
          UnlearningAlgorithm.NEG_GRAD_PLUS,
          UnlearningAlgorithm.SCRUB,
          UnlearningAlgorithm.RANDOM_LABEL,
          UnlearningAlgorithm.SALUN);

  static final String VANILLA = "vanilla";
  static final String SHUFFLE = "shuffle";
  static final String RUM_F = "rum_f";
  static final String RUM_FULL = "rum";
  static final String ORIGINAL = "original";

  /** What a profile sets; every value can be overridden on the command line. */
  enum Profile {
    // trainSize 0 = the whole training set; unlearnEpochs 0 = each algorithm's default epochs.
    // evalRetain / evalTest 0 = the whole retain / test set.
    QUICK(10_000, 2, 100, 1_000, 2, 1_000, 2_000, 2_000),
    FULL(0, 30, 1_000, 0, 0, 10_000, 0, 0);

    final int trainSize;
    final int epochs;
    final int perLevel;
    final int retainCount;
    final int unlearnEpochs;
    final int miaShadow;
    final int evalRetain;
    final int evalTest;

    Profile(
        int trainSize,
        int epochs,
        int perLevel,
        int retainCount,
        int unlearnEpochs,
        int miaShadow,
        int evalRetain,
        int evalTest) {
      this.trainSize = trainSize;
      this.epochs = epochs;
      this.perLevel = perLevel;
      this.retainCount = retainCount;
      this.unlearnEpochs = unlearnEpochs;
      this.miaShadow = miaShadow;
      this.evalRetain = evalRetain;
      this.evalTest = evalTest;
    }
  }

  @Option(
      names = "--profile",
      description =
          "quick (minutes on 2 cores, for trying changes) or full (the paper's "
              + "sizes); default ${DEFAULT-VALUE}")
  private String profileName = "quick";

  @Option(names = "--seeds", split = ",", description = "seeds, comma-separated (default 1,2,3)")
  private List<Long> seeds = List.of(1L, 2L, 3L);

  @Option(
      names = "--train-size",
      description =
          "training examples (a fixed random subset; 0 = all 60,000); " + "default: the profile's")
  private Integer trainSize;

  @Option(
      names = "--epochs",
      description = "epochs of θo and of the retrained reference θr; default: the profile's")
  private Integer epochs;

  @Option(
      names = "--per-level",
      description =
          "forget examples per memorization level (|S| = 3 × this); " + "default: the profile's")
  private Integer perLevel;

  @Option(
      names = "--retain-count",
      description =
          "retain examples each unlearning step samples (retain_count; "
              + "0 = the whole retain set); default: the profile's")
  private Integer retainCount;

  @Option(
      names = "--unlearn-epochs",
      description =
          "cap on every unlearning algorithm's epochs (0 = each "
              + "algorithm's default); default: the profile's")
  private Integer unlearnEpochs;

  @Option(
      names = "--mia-shadow",
      description =
          "shadow members and non-members each for the SVC attack (paper: "
              + "10,000); default: the profile's")
  private Integer miaShadow;

  @Option(
      names = "--eval-retain",
      description =
          "retain examples the accuracies and the MIA's shadow members are "
              + "measured on (a fixed random sample of D_train \\ S per seed, the same for every method; 0 = all); "
              + "default: the profile's")
  private Integer evalRetain;

  @Option(
      names = "--eval-test",
      description =
          "test examples measured (a fixed random sample, the same for every "
              + "seed and method; 0 = all 10,000); default: the profile's")
  private Integer evalTest;

  @Option(
      names = "--algorithms",
      split = ",",
      description = "only these algorithms (e.g. SALUN,SCRUB); " + "default: all seven")
  private List<UnlearningAlgorithm> algorithms = ALGORITHMS;

  @Option(names = "--no-rum", description = "skip full RUM")
  private boolean noRum;

  @Option(
      names = "--tune",
      description =
          "first search the hyper-parameters on --tuning-seed (Vanilla runs, "
              + "maximal ToW; the grid is in bench/README.md), write them to the tuning file, then run with them")
  private boolean tune;

  @Option(
      names = "--tuning-seeds",
      split = ",",
      description =
          "the seeds --tune searches on (each trial's ToW is "
              + "their mean); never one of --seeds; default 0,4")
  private List<Long> tuningSeeds = List.of(0L, 4L);

  @Option(
      names = "--tuned",
      description =
          "the tuning file to read (or, with --tune, write); default "
              + "bench/results/tuning-<profile>.json under --out-dir; without --tune it is used when it exists")
  private Path tuned;

  @Option(
      names = "--resume",
      description =
          "go on from the results file of an interrupted run with the same "
              + "options: keep its rows, run only the missing ones (each seed's θo and θr are retrained first)")
  private boolean resume;

  @Option(
      names = "--untuned",
      description = "ignore any tuning file: every algorithm runs with its defaults")
  private boolean untuned;

  @Option(
      names = "--subset-seed",
      description =
          "seed of the training subset (fixed across seeds); " + "default ${DEFAULT-VALUE}")
  private long subsetSeed = 0;

  @Option(names = "--data-dir", description = "Fashion-MNIST IDX files (default ${DEFAULT-VALUE})")
  private Path dataDir = FashionMnist.DEBIAN_DIR;

  @Option(
      names = "--out-dir",
      description = "where the JSON and the plots go (default ${DEFAULT-VALUE})")
  private Path outDir = Path.of("bench/results");

  @Option(
      names = "--replot",
      description =
          "do not run: read this results JSON, print its summary and redraw "
              + "its plots (e.g. after an interrupted run)")
  private Path replot;

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(
        new CommandLine(new QualityBenchmark())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (replot != null) {
      return replot(replot);
    }
    Profile profile = Profile.valueOf(profileName.toUpperCase(Locale.ROOT));
    int nTrain = trainSize != null ? trainSize : profile.trainSize;
    int nEpochs = epochs != null ? epochs : profile.epochs;
    int k = perLevel != null ? perLevel : profile.perLevel;
    int retain = retainCount != null ? retainCount : profile.retainCount;
    int cap = unlearnEpochs != null ? unlearnEpochs : profile.unlearnEpochs;
    int shadow = miaShadow != null ? miaShadow : profile.miaShadow;
    int nEvalRetain = evalRetain != null ? evalRetain : profile.evalRetain;
    int nEvalTest = evalTest != null ? evalTest : profile.evalTest;
    String name = profile.name().toLowerCase(Locale.ROOT);

    DatasetSplits all = FashionMnist.load(dataDir, HeldOut.NONE);
    DatasetSplits splits = all;
    if (nTrain > 0 && nTrain < all.train().size()) {
      int[] rows =
          Arrays.copyOf(Batches.shuffled(all.train().allRows(), new Random(subsetSeed)), nTrain);
      Arrays.sort(rows);
      splits =
          new DatasetSplits(
              all.train().subset("fashion-mnist-train-" + nTrain, rows),
              all.test(),
              Optional.empty());
    }
    ImageDataset evalTestSet = splits.test();
    if (nEvalTest > 0 && nEvalTest < evalTestSet.size()) {
      int[] rows =
          Arrays.copyOf(
              Batches.shuffled(evalTestSet.allRows(), new Random(subsetSeed + 1)), nEvalTest);
      Arrays.sort(rows);
      evalTestSet = evalTestSet.subset("fashion-mnist-test-" + nEvalTest, rows);
    }
    Setup setup = new Setup(splits, evalTestSet, nEpochs, k, retain, cap, shadow, nEvalRetain);
    String loadBefore = loadAverage();
    Instant startedAt = Instant.now();
    if (tune) {
      refuseToReport(tuningSeeds);
    }

    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("profile", name);
    parameters.put("dataset", "Fashion-MNIST");
    parameters.put(
        "model", "small CNN (conv32-BN-ReLU-pool, conv64-BN-ReLU-pool, fc128-BN-ReLU, linear)");
    parameters.put("trainExamples", splits.train().size());
    parameters.put(
        "trainSubsetSeed", nTrain > 0 && nTrain < all.train().size() ? subsetSeed : null);
    parameters.put("testExamples", splits.test().size());
    parameters.put(
        "evalRetainSample",
        nEvalRetain == 0
            ? "all of D_train \\ S"
            : nEvalRetain + " random examples of D_train \\ S per seed (same for every method)");
    parameters.put(
        "evalTestSample",
        evalTestSet.size() == splits.test().size()
            ? "all"
            : evalTestSet.size()
                + " random test examples (seed "
                + (subsetSeed + 1)
                + ", same everywhere)");
    parameters.put("epochsOriginalAndRetrain", nEpochs);
    parameters.put(
        "trainingRecipe",
        "SGD lr 0.1 cosine, momentum 0.9, weight decay 5e-4, batch 256, no augmentation");
    parameters.put(
        "forgetSet",
        "mix by the CONFIDENCE proxy of θo: "
            + k
            + " lowest + "
            + k
            + " nearest median + "
            + k
            + " highest memorization");
    parameters.put("forgetSize", 3 * k);
    parameters.put("retainCountPerStep", retain);
    parameters.put("unlearnEpochsCap", cap);
    parameters.put("miaShadowSize", shadow);
    parameters.put("seeds", seeds);
    parameters.put("algorithms", algorithms.stream().map(Enum::name).toList());
    parameters.put("device", "CPU");
    OUT.printf(
        Locale.ROOT,
        "quality benchmark, profile %s: %s; load average %s, %d cores%n",
        name,
        parameters.entrySet().stream()
            .filter(e -> !e.getKey().equals("profile"))
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", ")),
        loadBefore,
        Runtime.getRuntime().availableProcessors());

    Path tuningFile = tuned != null ? tuned : outDir.resolve("tuning-" + name + ".json");
    Map<UnlearningAlgorithm, Map<String, String>> chosen = Map.of();
    List<Long> searchedOn = tuningSeeds;
    if (tune) {
      chosen = tune(setup, parameters, tuningFile);
    } else if (!untuned && Files.exists(tuningFile)) {
      JsonNode search = json.readTree(tuningFile.toFile());
      chosen = Tuning.read(search);
      searchedOn = new ArrayList<>();
      // Files written before the search took several seeds name one, as tuningSeed.
      JsonNode listed =
          search.has("tuningSeeds")
              ? search.get("tuningSeeds")
              : json.createArrayNode().add(search.get("tuningSeed"));
      for (JsonNode seed : listed) {
        searchedOn.add(seed.asLong());
      }
      refuseToReport(searchedOn);
      OUT.printf(
          Locale.ROOT,
          "hyper-parameters from %s (searched on seeds %s): %s%n",
          tuningFile,
          searchedOn,
          chosen);
    } else {
      OUT.println(
          "no tuning file ("
              + tuningFile
              + ") or --untuned: every algorithm runs with its defaults");
    }
    String tunedOn =
        "tuned on seed"
            + (searchedOn.size() == 1 ? " " : "s ")
            + searchedOn.stream().map(String::valueOf).collect(Collectors.joining(", "));
    parameters.put(
        "tuning",
        chosen.isEmpty()
            ? "none: the engine's defaults (paper code)"
            : tunedOn + " (" + tuningFile + "): " + Tuning.SEARCH);
    parameters.put("tuningLabel", chosen.isEmpty() ? "untuned defaults" : tunedOn);
    parameters.put("hyperParameters", chosen);

    Path jsonFile = outDir.resolve("quality-" + name + ".json");
    Files.createDirectories(outDir);
    Results results = new Results(jsonFile, parameters, startedAt, loadBefore);
    if (resume && Files.exists(jsonFile)) {
      results.resumeFrom(json.readTree(jsonFile.toFile()));
    }
    int methodRows = 3 * algorithms.size() + (noRum ? 0 : 1);
    Progress progress = new Progress(seeds.size() * (2 + methodRows));
    for (long seed : seeds) {
      if (results.seedDone(seed, methodRows)) {
        OUT.printf(Locale.ROOT, "seed %d: all %d rows kept from %s%n", seed, methodRows, jsonFile);
        continue;
      }
      try (Seeded s = prepare(setup, seed, progress)) {
        results.addSeed(s);
        for (UnlearningAlgorithm algorithm : algorithms) {
          Map<String, String> hp =
              baseHyperParameters(
                  s.engine(), algorithm, chosen.getOrDefault(algorithm, Map.of()), retain, cap);
          Unlearner unlearner = s.engine().unlearner(algorithm, hp);
          String a = algorithm.name();
          results.add(
              seed,
              a,
              VANILLA,
              () -> runVariant(s, progress, a, VANILLA, RumPlans.vanilla(s.forget(), unlearner)));
          results.add(
              seed,
              a,
              SHUFFLE,
              () ->
                  runVariant(
                      s, progress, a, SHUFFLE, RumPlans.shuffled(s.forgetSet(), unlearner, seed)));
          results.add(
              seed,
              a,
              RUM_F,
              () ->
                  runVariant(
                      s,
                      progress,
                      a,
                      RUM_F,
                      RumPlans.refined(
                          s.forgetSet(), rumFPlan(s.engine(), algorithm, unlearner, retain, cap))));
        }
        if (!noRum) {
          // Full RUM as released (main_rum.py): nothing / Fine-tune lr 0.1, 10 epochs / SalUn lr
          // 0.1, 5 epochs.
          Map<MemorizationLevel, Unlearner> full = new EnumMap<>(MemorizationLevel.class);
          full.put(MemorizationLevel.LOW, s.engine().unlearner(UnlearningAlgorithm.NONE, Map.of()));
          full.put(
              MemorizationLevel.MEDIUM,
              s.engine()
                  .unlearner(
                      UnlearningAlgorithm.FINE_TUNE,
                      baseHyperParameters(
                          s.engine(),
                          UnlearningAlgorithm.FINE_TUNE,
                          Map.of("lr", "0.1", "epochs", "10"),
                          retain,
                          cap)));
          full.put(
              MemorizationLevel.HIGH,
              s.engine()
                  .unlearner(
                      UnlearningAlgorithm.SALUN,
                      baseHyperParameters(
                          s.engine(),
                          UnlearningAlgorithm.SALUN,
                          Map.of("lr", "0.1", "epochs", "5"),
                          retain,
                          cap)));
          results.add(
              seed,
              "RUM",
              RUM_FULL,
              () ->
                  runVariant(s, progress, "RUM", RUM_FULL, RumPlans.refined(s.forgetSet(), full)));
        }
      }
    }
    String loadAfter = loadAverage();
    parameters.put("loadAverageAfter", loadAfter);
    results.save(true);
    OUT.printf(
        Locale.ROOT,
        "%nfinished in %s; load average before %s, after %s; rows written to %s%n",
        Progress.clock((System.nanoTime() - progress.started) / 1e9),
        loadBefore,
        loadAfter,
        jsonFile);
    List<Map<String, Object>> rows = results.rows;
    List<Summary> summary = Summary.of(rows);
    printSummary(summary, name);
    Plots.draw(summary, name, (String) parameters.get("tuningLabel"), outDir);
    return 0;
  }

  /** Hyper-parameters searched on a seed are never reported on that seed. */
  private void refuseToReport(List<Long> searchSeeds) {
    List<Long> both = searchSeeds.stream().filter(seeds::contains).toList();
    if (!both.isEmpty()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "the hyper-parameters were searched on seeds "
              + searchSeeds
              + " and "
              + both
              + " would be reported too ("
              + seeds
              + "): never report a seed you tuned on");
    }
  }

  /**
   * What every seed shares: the data and the profile's sizes after the command line's overrides.
   */
  private record Setup(
      DatasetSplits splits,
      ImageDataset evalTest,
      int epochs,
      int perLevel,
      int retain,
      int cap,
      int shadow,
      int evalRetain) {}

  /**
   * One seed's fixed parts: θo (measured before any unlearning), the forget set S, the retrained θr
   * and the sets every model of the seed is measured on.
   */
  private record Seeded(
      long seed,
      UnlearningEngine engine,
      Judge judge,
      Classifier original,
      RefinedForgetSet forgetSet,
      Measurement before,
      Measurement reference,
      double retrainSeconds,
      Map<String, Object> summary)
      implements AutoCloseable {
    long[] forget() {
      return forgetSet.all();
    }

    @Override
    public void close() {
      original.close();
    }
  }

  /**
   * Trains θo with the proxies, builds the "mix" forget set by confidence and retrains θr on
   * D_train \ S (timed).
   */
  private static Seeded prepare(Setup setup, long seed, Progress progress) {
    EngineConfig config =
        EngineConfig.defaults()
            .withSeed(seed)
            .withMiaShadowSize(setup.shadow())
            .withDevice(EngineConfig.DevicePreference.CPU);
    UnlearningEngine engine = new UnlearningEngine(config, setup.splits());
    Evaluator evaluator = new Evaluator(config);
    ImageDataset train = setup.splits().train();
    progress.start("seed " + seed + ": train θo (" + setup.epochs() + " epochs, proxies recorded)");
    long t0 = System.nanoTime();
    TrainedModel trained =
        engine.trainOriginal(ModelSpec.smallCnn(train), TrainingRecipe.paper(setup.epochs(), seed));
    double originalSeconds = (System.nanoTime() - t0) / 1e9;
    Classifier original = trained.model();
    RefinedForgetSet forgetSet =
        Refinement.mixed(trained.proxies().scores(ProxyKind.CONFIDENCE), setup.perLevel());
    long[] forget = forgetSet.all();
    Judge judge =
        new Judge(
            evaluator, evaluationSets(train, setup.evalTest(), forget, setup.evalRetain(), seed));
    Measurement before = judge.measure(original);
    progress.done(
        String.format(
            Locale.ROOT,
            "%.1f s, test acc %.4f, θo acc on S low/med/high %s",
            originalSeconds,
            before.accuracies().test(),
            levelAccuracies(evaluator, train, original, forgetSet)));

    progress.start("seed " + seed + ": retrain θr on D_train \\ S (" + setup.epochs() + " epochs)");
    Measurement reference;
    double retrainSeconds;
    try (Classifier retrained = original.copy()) {
      long r0 = System.nanoTime();
      engine.unlearn(
          retrained,
          Optional.empty(),
          UnlearningAlgorithm.RETRAIN,
          Map.of("epochs", Integer.toString(setup.epochs())),
          forget,
          DeletionLedger.empty());
      retrainSeconds = (System.nanoTime() - r0) / 1e9;
      reference = judge.measure(retrained);
      progress.done(
          String.format(
              Locale.ROOT,
              "%.1f s, acc S/R/test %.4f/%.4f/%.4f, MIA %.3f",
              retrainSeconds,
              reference.accuracies().forget(),
              reference.accuracies().retain(),
              reference.accuracies().test(),
              reference.mia()));
    }
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("seed", seed);
    ref.put("original_seconds", round(originalSeconds, 2));
    ref.put("original", measurementMap(before));
    ref.put("retrain_seconds", round(retrainSeconds, 2));
    ref.put("retrain", measurementMap(reference));
    ref.put(
        "forget_ids",
        Map.of(
            "low",
            forgetSet.level(MemorizationLevel.LOW),
            "medium",
            forgetSet.level(MemorizationLevel.MEDIUM),
            "high",
            forgetSet.level(MemorizationLevel.HIGH)));
    return new Seeded(
        seed, engine, judge, original, forgetSet, before, reference, retrainSeconds, ref);
  }

  /**
   * The hyper-parameter search on the tuning seeds (Vanilla runs, maximal mean ToW against each
   * seed's θr); writes every trial and the choice to the tuning file and returns the choice.
   */
  private Map<UnlearningAlgorithm, Map<String, String>> tune(
      Setup setup, Map<String, Object> parameters, Path tuningFile) throws IOException {
    Instant startedAt = Instant.now();
    String loadBefore = loadAverage();
    Progress progress = new Progress(tuningSeeds.size() * (2 + Tuning.trials(algorithms)));
    List<Seeded> seeded = new ArrayList<>();
    Tuning.Result result;
    try {
      for (long seed : tuningSeeds) {
        seeded.add(prepare(setup, seed, progress));
      }
      result =
          Tuning.search(
              algorithms,
              (algorithm, overrides) -> {
                List<Map<String, Object>> bySeed = new ArrayList<>();
                for (Seeded s : seeded) {
                  Unlearner unlearner =
                      s.engine()
                          .unlearner(
                              algorithm,
                              baseHyperParameters(
                                  s.engine(), algorithm, overrides, setup.retain(), setup.cap()));
                  Map<String, Object> row =
                      runVariant(
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
                trial.put("overrides", new java.util.TreeMap<>(overrides));
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
      seeded.forEach(Seeded::close);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "quality-tuning");
    root.put("date", startedAt.toString());
    root.put("updated", Instant.now().toString());
    root.put("machine", machine(loadBefore));
    root.put("parameters", parameters);
    root.put("tuningSeeds", tuningSeeds);
    root.put("search", Tuning.SEARCH);
    root.put("references", seeded.stream().map(Seeded::summary).toList());
    root.put("chosen", result.chosen());
    root.put("trials", result.trials());
    Files.createDirectories(tuningFile.toAbsolutePath().getParent());
    writeJson(tuningFile, root);
    OUT.printf(
        Locale.ROOT,
        "tuning on seeds %s finished in %s: %s written to %s%n",
        tuningSeeds,
        Progress.clock((System.nanoTime() - progress.started) / 1e9),
        result.chosen(),
        tuningFile);
    return result.chosen();
  }

  /**
   * The per-step hyper-parameters: the defaults (or the given overrides), retain sampling and the
   * epoch cap.
   */
  private static Map<String, String> baseHyperParameters(
      UnlearningEngine engine,
      UnlearningAlgorithm algorithm,
      Map<String, String> overrides,
      int retainCount,
      int epochCap) {
    Map<String, String> hp = new LinkedHashMap<>(overrides);
    if (retainCount > 0) {
      hp.put("retain_count", Integer.toString(retainCount));
    }
    if (epochCap > 0) {
      int epochs =
          Integer.parseInt(
              hp.getOrDefault(
                  "epochs", engine.unlearner(algorithm, Map.of()).hyperParameters().get("epochs")));
      hp.put("epochs", Integer.toString(Math.min(epochs, epochCap)));
    }
    return hp;
  }

  /**
   * RUM^F: the same algorithm on every level. NegGrad+ takes the per-step values released with the
   * proxy RUM (main_rum_proxy.py: α 0.99 / 0.97 / 0.97, lr 0.01 / 0.01 / 0.001, epochs 5 / 5 / 10);
   * the others use their defaults at every step.
   */
  private static Map<MemorizationLevel, Unlearner> rumFPlan(
      UnlearningEngine engine,
      UnlearningAlgorithm algorithm,
      Unlearner unlearner,
      int retain,
      int cap) {
    Map<MemorizationLevel, Unlearner> plan = new EnumMap<>(MemorizationLevel.class);
    if (algorithm == UnlearningAlgorithm.NEG_GRAD_PLUS) {
      plan.put(
          MemorizationLevel.LOW,
          engine.unlearner(
              algorithm,
              baseHyperParameters(
                  engine,
                  algorithm,
                  Map.of("alpha", "0.99", "lr", "0.01", "epochs", "5"),
                  retain,
                  cap)));
      plan.put(
          MemorizationLevel.MEDIUM,
          engine.unlearner(
              algorithm,
              baseHyperParameters(
                  engine,
                  algorithm,
                  Map.of("alpha", "0.97", "lr", "0.01", "epochs", "5"),
                  retain,
                  cap)));
      plan.put(
          MemorizationLevel.HIGH,
          engine.unlearner(
              algorithm,
              baseHyperParameters(
                  engine,
                  algorithm,
                  Map.of("alpha", "0.97", "lr", "0.001", "epochs", "10"),
                  retain,
                  cap)));
    } else {
      for (MemorizationLevel level : MemorizationLevel.values()) {
        plan.put(level, unlearner);
      }
    }
    return plan;
  }

  private static Map<String, Object> runVariant(
      Seeded s, Progress progress, String algorithm, String variant, List<RumStep> plan) {
    progress.start(
        "seed "
            + s.seed()
            + ": "
            + algorithm
            + " "
            + variant
            + " ("
            + plan.size()
            + " step"
            + (plan.size() == 1 ? "" : "s")
            + ")");
    try (Classifier model = s.original().copy()) {
      long t0 = System.nanoTime();
      List<RumStepResult> results =
          new Rum(s.engine().data().train())
              .run(model, Optional.of(s.original()), plan, DeletionLedger.empty());
      double seconds = (System.nanoTime() - t0) / 1e9;
      Measurement after = s.judge().measure(model);
      Map<String, Object> steps = new LinkedHashMap<>();
      for (RumStepResult r : results) {
        UnlearningOutcome o = r.outcome();
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("algorithm", o.algorithm().name());
        step.put("forget", o.forgetSize());
        step.put("retain", o.retainSize());
        step.put("ms", o.wallTimeMillis());
        step.put("hyper_parameters", new java.util.TreeMap<>(o.hyperParameters()));
        steps.put(r.step().label(), step);
      }
      Map<String, Object> row =
          row(
              algorithm,
              variant,
              s.seed(),
              after,
              s.reference(),
              seconds,
              s.retrainSeconds(),
              steps);
      progress.done(
          String.format(
              Locale.ROOT,
              "%.1f s (%.2f× retrain), ToW %.4f, ToW-MIA %.4f, acc S/R/test "
                  + "%.4f/%.4f/%.4f, MIA %.3f",
              seconds,
              seconds / s.retrainSeconds(),
              row.get("tow"),
              row.get("tow_mia"),
              after.accuracies().forget(),
              after.accuracies().retain(),
              after.accuracies().test(),
              after.mia()));
      return row;
    }
  }

  private static Map<String, Object> row(
      String algorithm,
      String variant,
      long seed,
      Measurement m,
      Measurement reference,
      double seconds,
      double retrainSeconds,
      Map<String, Object> steps) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("algorithm", algorithm);
    row.put("variant", variant);
    row.put("seed", seed);
    row.put("tow", round(TugOfWar.tow(m.accuracies(), reference.accuracies()), 6));
    row.put(
        "tow_mia",
        round(
            TugOfWar.towMia(m.accuracies(), m.mia(), reference.accuracies(), reference.mia()), 6));
    row.put("forget_acc", round(m.accuracies().forget(), 6));
    row.put("retain_acc", round(m.accuracies().retain(), 6));
    row.put("test_acc", round(m.accuracies().test(), 6));
    row.put("mia", round(m.mia(), 6));
    row.put("seconds", round(seconds, 3));
    row.put("retrain_seconds", round(retrainSeconds, 3));
    if (!steps.isEmpty()) {
      row.put("steps", steps);
    }
    return row;
  }

  private static Map<String, Object> measurementMap(Measurement m) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("forget_acc", round(m.accuracies().forget(), 6));
    map.put("retain_acc", round(m.accuracies().retain(), 6));
    map.put("test_acc", round(m.accuracies().test(), 6));
    map.put("mia", round(m.mia(), 6));
    return map;
  }

  /** Measures every model of one seed on the same sets: S, the retain sample, the test sample. */
  private record Judge(Evaluator evaluator, EvaluationSets sets) {
    Measurement measure(Classifier model) {
      return evaluator.measure(model, sets, false);
    }
  }

  /**
   * S, R = D_train \ S (or a random sample of it, seeded by the seed, sorted: the MIA's shadow
   * members are its first n rows) and the test set (or its sample).
   */
  private static EvaluationSets evaluationSets(
      ImageDataset train, ImageDataset test, long[] forget, int retainSample, long seed) {
    EvaluationSets full = EvaluationSets.of(train, test, forget, DeletionLedger.empty());
    int[] retain = full.retainRows();
    if (retainSample > 0 && retainSample < retain.length) {
      retain = Arrays.copyOf(Batches.shuffled(retain, new Random(seed * 7919 + 17)), retainSample);
      Arrays.sort(retain);
    }
    return new EvaluationSets(train, test, full.forgetRows(), retain);
  }

  /** θo's accuracy on each third of S (how hard each level is). */
  private static String levelAccuracies(
      Evaluator evaluator, ImageDataset train, Classifier model, RefinedForgetSet forgetSet) {
    List<String> parts = new ArrayList<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      int[] rows = Arrays.stream(forgetSet.level(level)).mapToInt(train::rowOf).toArray();
      parts.add(
          String.format(Locale.ROOT, "%.2f", evaluator.inference().accuracy(model, train, rows)));
    }
    return String.join("/", parts);
  }

  /**
   * The rows and θo / θr references of one run, saved after every row (so an interrupted run keeps
   * them, and {@code --resume} can go on from them: each seed's θo and θr are retrained,
   * deterministically, for the rows it lacks).
   */
  private final class Results {
    private final Path file;
    private final Map<String, Object> parameters;
    private final Instant startedAt;
    private final String loadBefore;
    final List<Map<String, Object>> rows = new ArrayList<>();
    private final List<Map<String, Object>> references = new ArrayList<>();

    Results(Path file, Map<String, Object> parameters, Instant startedAt, String loadBefore) {
      this.file = file;
      this.parameters = parameters;
      this.startedAt = startedAt;
      this.loadBefore = loadBefore;
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
              "hyperParameters")) {
        Object was = json.convertValue(earlier.get("parameters").get(key), Object.class);
        if (!java.util.Objects.equals(json.convertValue(parameters.get(key), Object.class), was)) {
          throw new IllegalStateException(
              "cannot resume "
                  + file
                  + ": "
                  + key
                  + " was "
                  + was
                  + ", now "
                  + parameters.get(key));
        }
      }
      earlier.get("rows").forEach(r -> rows.add(json.convertValue(r, Map.class)));
      earlier.get("references").forEach(r -> references.add(json.convertValue(r, Map.class)));
      OUT.printf(
          Locale.ROOT,
          "resuming: %d rows kept from %s (started %s)%n",
          rows.size(),
          file,
          earlier.get("date").asText());
    }

    boolean seedDone(long seed, int methodRows) {
      return rows.stream()
              .filter(
                  r ->
                      ((Number) r.get("seed")).longValue() == seed
                          && !ORIGINAL.equals(r.get("variant")))
              .count()
          >= methodRows;
    }

    void addSeed(Seeded s) {
      if (!has(s.seed(), ORIGINAL, ORIGINAL)) {
        references.add(s.summary());
        rows.add(
            row(
                ORIGINAL,
                ORIGINAL,
                s.seed(),
                s.before(),
                s.reference(),
                0,
                s.retrainSeconds(),
                Map.of()));
      }
    }

    void add(
        long seed,
        String algorithm,
        String variant,
        java.util.function.Supplier<Map<String, Object>> run) {
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
      root.put("machine", machine(loadBefore));
      root.put("parameters", parameters);
      root.put("rows", rows);
      root.put("references", references);
      writeJson(file, root);
    }
  }

  private static Map<String, Object> machine(String loadBefore) {
    Map<String, Object> machine = Machine.describe();
    machine.put("loadAverageBefore", loadBefore);
    machine.put("loadAverageNow", loadAverage());
    return machine;
  }

  /** Written to a sibling and moved over the file, so a reader never sees half of it. */
  private void writeJson(Path file, Map<String, Object> root) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      json.writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private int replot(Path file) throws IOException {
    JsonNode root = json.readTree(file.toFile());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode r : root.get("rows")) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("algorithm", r.get("algorithm").asText());
      row.put("variant", r.get("variant").asText());
      row.put("seed", r.get("seed").asLong());
      for (String key :
          List.of(
              "tow",
              "tow_mia",
              "forget_acc",
              "retain_acc",
              "test_acc",
              "mia",
              "seconds",
              "retrain_seconds")) {
        row.put(key, r.get(key).asDouble());
      }
      rows.add(row);
    }
    String name = root.get("parameters").get("profile").asText();
    JsonNode label = root.get("parameters").get("tuningLabel");
    OUT.printf("%s: %d rows, complete=%s%n", file, rows.size(), root.get("complete").asBoolean());
    List<Summary> summary = Summary.of(rows);
    printSummary(summary, name);
    Plots.draw(
        summary,
        name,
        label == null ? "untuned defaults" : label.asText(),
        file.toAbsolutePath().getParent());
    return 0;
  }

  private static void printSummary(List<Summary> summary, String profile) {
    OUT.printf(
        Locale.ROOT,
        "%nsummary, profile %s: mean over seeds; ± = 95%% CI half-width t(0.975, n-1)·SEM; "
            + "cost = method wall time / retraining wall time of the same seed%n",
        profile);
    OUT.printf(
        Locale.ROOT,
        "%-13s %-8s %2s  %-17s %-17s %7s %7s %7s %6s %8s %7s%n",
        "algorithm",
        "variant",
        "n",
        "ToW",
        "ToW-MIA",
        "acc_S",
        "acc_R",
        "acc_te",
        "MIA",
        "seconds",
        "cost");
    for (Summary s : summary) {
      OUT.printf(
          Locale.ROOT,
          "%-13s %-8s %2d  %-17s %-17s %7.4f %7.4f %7.4f %6.3f %8.1f %7.3f%n",
          s.algorithm(),
          s.variant(),
          s.n(),
          s.tow().format(),
          s.towMia().format(),
          s.forgetAcc(),
          s.retainAcc(),
          s.testAcc(),
          s.mia(),
          s.seconds(),
          s.cost().mean());
    }
    OUT.println();
    OUT.println(markdownTable(summary));
  }

  /** The summary as a Markdown table (for RESULTS.md). */
  static String markdownTable(List<Summary> summary) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| algorithm | variant | n | ToW | ToW-MIA | acc S | acc R | acc test | MIA | seconds | cost (× retrain) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Summary s : summary) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %s | %.4f | %.4f | %.4f | %.3f | %.1f | %.3f |%n",
              s.algorithm(),
              s.variant(),
              s.n(),
              s.tow().format(),
              s.towMia().format(),
              s.forgetAcc(),
              s.retainAcc(),
              s.testAcc(),
              s.mia(),
              s.seconds(),
              s.cost().mean()));
    }
    return sb.toString();
  }

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /**
   * Progress lines: one when a task starts, one when it ends, with elapsed time and a naive ETA.
   */
  static final class Progress {
    final long started = System.nanoTime();
    private final int total;
    private int finished;
    private long taskStarted;

    Progress(int total) {
      this.total = total;
    }

    void start(String task) {
      taskStarted = System.nanoTime();
      OUT.printf(
          Locale.ROOT,
          "[%2d/%d %s] %s ...%n",
          finished + 1,
          total,
          clock((taskStarted - started) / 1e9),
          task);
    }

    void done(String what) {
      finished++;
      double elapsed = (System.nanoTime() - started) / 1e9;
      double eta = elapsed / finished * (total - finished);
      OUT.printf(
          Locale.ROOT, "        -> %s  [elapsed %s, ~%s left]%n", what, clock(elapsed), clock(eta));
    }

    static String clock(double seconds) {
      long s = Math.round(seconds);
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
  }
}
