package dev.rumstream.bench;

import static dev.rumstream.bench.Machine.loadAverage;

import dev.rumstream.bench.rum.RumPlans;
import dev.rumstream.bench.rum.RumStep;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.worker.lifecycle.FallbackPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
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

  /** The variant of whole policies: one plan for the forget set, not one algorithm three ways. */
  static final String RUM_FULL = "rum";

  static final String ORIGINAL = "original";
  static final String FULL_RUM = "RUM";
  static final String RUM_NEG_GRAD_PLUS = "RUM_NG+";
  static final String PRODUCT = "PRODUCT";
  static final String PRODUCT_FALLBACK = "PRODUCT_FALLBACK";
  static final String PRODUCT_FT = "PRODUCT_FT";

  /** A fallback candidate: Fine-tune with the engine's defaults (the paper code's lr 0.01). */
  static final FallbackPolicy FINE_TUNE_FALLBACK =
      new FallbackPolicy(
          Arrays.stream(MemorizationLevel.values())
              .collect(
                  Collectors.toMap(
                      l -> l,
                      l -> new FallbackPolicy.Fallback(UnlearningAlgorithm.FINE_TUNE, Map.of()))));

  /** The retain-sample ladder's variant for a size (0 = the whole retain set). */
  static String ladderVariant(int retain) {
    return "retain-" + (retain == 0 ? "all" : Integer.toString(retain));
  }

  /** Which rows a run makes. */
  enum Rows {
    /** Every algorithm as Vanilla, Shuffle and RUM^F (the hyper-parameters searched). */
    TABLE,
    /** Full RUM as released, RUM with NegGrad+ as released, and the product's default policy. */
    POLICIES,
    /** Full RUM and the product default with the retain set sampled per step (--ladder). */
    LADDER,
    /**
     * The product with the worker's gate fallback at MEDIUM and HIGH, and with a candidate fallback
     * (Fine-tune, the engine's defaults).
     */
    FALLBACK,
    /**
     * The product's default and the product with each --candidate's policy: how a default is chosen
     * on the tuning seeds (RESULTS.md §9).
     */
    CANDIDATES
  }

  /** The row of a candidate policy. */
  static String candidate(String name) {
    return PRODUCT + ":" + name;
  }

  @Option(
      names = "--profile",
      description =
          "quick (minutes on 2 cores, for trying changes), converged (the quick subset trained to "
              + "convergence, levels by the stored memorization estimate, the paper's methods: "
              + "hours) or full (the paper's sizes: a day); default ${DEFAULT-VALUE}")
  private String profileName = "quick";

  @Option(
      names = "--levels",
      description =
          "memorization (the stored estimate of bench/proxy-fidelity.sh: lowest, nearest 0.5, "
              + "highest) or proxy (each seed's θo confidence: lowest, nearest the median, highest); "
              + "default: the profile's. A non-default choice writes quality-<profile>-<levels>.json")
  private QualitySetup.Levels levels;

  @Option(
      names = "--rows",
      split = ",",
      description =
          "which rows: TABLE (every algorithm × Vanilla / Shuffle / RUM^F), POLICIES (full RUM, "
              + "RUM with NegGrad+, the product default), LADDER (--ladder), FALLBACK (the product "
              + "with the worker's gate fallback at MEDIUM and HIGH); default all four. "
              + "With --resume, runs with different --rows add to one results file")
  private List<Rows> rows = List.of(Rows.POLICIES, Rows.FALLBACK, Rows.TABLE, Rows.LADDER);

  @Option(
      names = "--ladder",
      split = ",",
      description =
          "retain examples per step of the ladder rows (0 = the whole retain set); "
              + "default 500,1000,2000,5000,0")
  private List<Integer> ladder = List.of(500, 1_000, 2_000, 5_000, 0);

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

  @Option(
      names = "--candidate",
      paramLabel = "NAME=SETTINGS",
      description =
          "with --rows CANDIDATES: a policy to run beside the product's default, as the streams "
              + "app's settings under rumstream.policy., ';'-separated (e.g. "
              + "mid-none='medium.algorithm=NONE'); repeatable")
  private Map<String, String> candidates = new LinkedHashMap<>();

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
      return QualityReport.replot(replot);
    }
    QualityProfile profile = QualityProfile.valueOf(profileName.toUpperCase(Locale.ROOT));
    QualityProfile.Sizes sizes = profile.sizes;
    int retain = retainCount != null ? retainCount : sizes.retainCount();
    int cap = unlearnEpochs != null ? unlearnEpochs : sizes.unlearnEpochs();
    QualitySetup.Levels levelsUsed = levels != null ? levels : profile.levels;
    String name =
        profile.name().toLowerCase(Locale.ROOT)
            + (levelsUsed == profile.levels
                ? ""
                : "-" + levelsUsed.name().toLowerCase(Locale.ROOT));
    QualitySetup setup =
        QualitySetup.of(
            FashionMnist.load(dataDir, HeldOut.NONE),
            trainSize != null ? trainSize : sizes.trainSize(),
            evalTest != null ? evalTest : sizes.evalTest(),
            subsetSeed,
            epochs != null ? epochs : sizes.epochs(),
            perLevel != null ? perLevel : sizes.perLevel(),
            retain,
            cap,
            miaShadow != null ? miaShadow : sizes.miaShadow(),
            evalRetain != null ? evalRetain : sizes.evalRetain(),
            levelsUsed,
            outDir);
    String loadBefore = loadAverage();
    Instant startedAt = Instant.now();
    if (tune) {
      refuseToReport(tuningSeeds);
    }
    Map<String, Object> parameters = setup.parameters(name, subsetSeed + 1, seeds, algorithms);
    ProductPolicy product = ProductPolicy.defaults();
    parameters.put("productPolicy", product.describe());
    if (rows.contains(Rows.CANDIDATES)) {
      Map<String, Object> described = new LinkedHashMap<>();
      candidates.forEach(
          (n, settings) -> described.put(n, ProductPolicy.withPolicy(settings).describe()));
      parameters.put("candidatePolicies", described);
    }
    parameters.put("retainLadder", ladder);
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
    Map<UnlearningAlgorithm, Map<String, String>> chosen = hyperParameters(name, setup, parameters);

    Path jsonFile = outDir.resolve("quality-" + name + ".json");
    Files.createDirectories(outDir);
    QualityResults results = new QualityResults(jsonFile, parameters, startedAt, loadBefore);
    if (resume && Files.exists(jsonFile)) {
      results.resumeFrom(BenchJson.MAPPER.readTree(jsonFile.toFile()));
    }
    SeedPlan plan = new SeedPlan(chosen, retain, cap, product);
    int methodRows = plan.rows().size();
    Progress progress = new Progress(seeds.size() * (2 + methodRows));
    for (long seed : seeds) {
      if (results.seedDone(seed, plan.rows())) {
        OUT.printf(Locale.ROOT, "seed %d: all %d rows kept from %s%n", seed, methodRows, jsonFile);
        continue;
      }
      try (QualitySeed s = QualitySeed.prepare(setup, seed, progress)) {
        results.addSeed(s);
        for (SeedPlan.Row row : plan.rows()) {
          results.add(
              seed,
              row.algorithm(),
              row.variant(),
              () ->
                  QualityRuns.runVariant(
                      s, progress, row.algorithm(), row.variant(), row.steps().apply(s)));
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
    List<Summary> summary = Summary.of(results.rows);
    QualityReport.printSummary(summary, name);
    Plots.draw(summary, name, (String) parameters.get("tuningLabel"), outDir);
    RetainLadder.report(
        summary, RetainLadder.policies(BenchJson.MAPPER.valueToTree(parameters)), name, outDir);
    return 0;
  }

  /**
   * The hyper-parameters of this run: searched now (--tune), read from the tuning file, or none
   * (the defaults); records the choice in {@code parameters}.
   */
  private Map<UnlearningAlgorithm, Map<String, String>> hyperParameters(
      String name, QualitySetup setup, Map<String, Object> parameters) throws IOException {
    Path tuningFile = tuned != null ? tuned : outDir.resolve("tuning-" + name + ".json");
    Map<UnlearningAlgorithm, Map<String, String>> chosen = Map.of();
    List<Long> searchedOn = tuningSeeds;
    if (tune) {
      chosen = QualityTuning.search(setup, parameters, tuningFile, tuningSeeds, algorithms, resume);
    } else if (!untuned && Files.exists(tuningFile)) {
      QualityTuning.Chosen read = QualityTuning.read(tuningFile);
      chosen = read.byAlgorithm();
      searchedOn = read.seeds();
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
    return chosen;
  }

  /**
   * The rows of every seed, in the order they run: the policies first (they need no search), then
   * every algorithm as Vanilla, Shuffle and RUM^F, then the retain ladder.
   */
  final class SeedPlan {
    record Row(String algorithm, String variant, Function<QualitySeed, List<RumStep>> steps) {}

    private final List<Row> rows = new ArrayList<>();

    SeedPlan(
        Map<UnlearningAlgorithm, Map<String, String>> chosen,
        int retain,
        int cap,
        ProductPolicy product) {
      if (QualityBenchmark.this.rows.contains(Rows.POLICIES)) {
        if (!noRum) {
          rows.add(
              new Row(
                  FULL_RUM,
                  RUM_FULL,
                  s ->
                      RumPlans.refined(
                          s.forgetSet(), QualityRuns.fullRumPlan(s.engine(), retain, cap))));
        }
        rows.add(
            new Row(
                RUM_NEG_GRAD_PLUS,
                RUM_FULL,
                s ->
                    RumPlans.refined(
                        s.forgetSet(),
                        QualityRuns.releasedNegGradPlusPlan(s.engine(), retain, cap))));
        rows.add(productRow(PRODUCT, product));
      }
      if (QualityBenchmark.this.rows.contains(Rows.CANDIDATES)) {
        if (!QualityBenchmark.this.rows.contains(Rows.POLICIES)) {
          rows.add(productRow(PRODUCT, product));
        }
        candidates.forEach(
            (name, settings) ->
                rows.add(productRow(candidate(name), ProductPolicy.withPolicy(settings))));
      }
      if (QualityBenchmark.this.rows.contains(Rows.FALLBACK)) {
        rows.add(
            new Row(
                PRODUCT_FALLBACK,
                RUM_FULL,
                s ->
                    RumPlans.refined(
                        product.refine(s.forget(), s.proxy()), product.fallbackPlan(s.engine()))));
        rows.add(
            new Row(
                PRODUCT_FT,
                RUM_FULL,
                s ->
                    RumPlans.refined(
                        product.refine(s.forget(), s.proxy()),
                        product.fallbackPlan(s.engine(), FINE_TUNE_FALLBACK))));
      }
      if (QualityBenchmark.this.rows.contains(Rows.TABLE)) {
        for (UnlearningAlgorithm algorithm : algorithms) {
          Map<String, String> overrides = chosen.getOrDefault(algorithm, Map.of());
          String a = algorithm.name();
          Function<QualitySeed, Unlearner> unlearner =
              s ->
                  s.engine()
                      .unlearner(
                          algorithm,
                          QualityRuns.baseHyperParameters(
                              s.engine(), algorithm, overrides, retain, cap));
          rows.add(new Row(a, VANILLA, s -> RumPlans.vanilla(s.forget(), unlearner.apply(s))));
          rows.add(
              new Row(
                  a, SHUFFLE, s -> RumPlans.shuffled(s.forgetSet(), unlearner.apply(s), s.seed())));
          rows.add(
              new Row(
                  a,
                  RUM_F,
                  s ->
                      RumPlans.refined(
                          s.forgetSet(), QualityRuns.sameAtEveryLevel(unlearner.apply(s)))));
        }
      }
      if (QualityBenchmark.this.rows.contains(Rows.LADDER)) {
        int productRetain =
            Integer.parseInt(product.workerDefaults().getOrDefault("retain_count", "0"));
        for (int size : ladder) {
          if (size != retain) {
            rows.add(
                new Row(
                    FULL_RUM,
                    ladderVariant(size),
                    s ->
                        RumPlans.refined(
                            s.forgetSet(), QualityRuns.fullRumPlan(s.engine(), size, cap))));
          }
          if (size != productRetain) {
            rows.add(
                new Row(
                    PRODUCT,
                    ladderVariant(size),
                    s ->
                        RumPlans.refined(
                            product.refine(s.forget(), s.proxy()),
                            product.plan(s.engine(), size))));
          }
        }
      }
    }

    List<Row> rows() {
      return rows;
    }

    private static Row productRow(String name, ProductPolicy policy) {
      return new Row(
          name,
          RUM_FULL,
          s -> RumPlans.refined(policy.refine(s.forget(), s.proxy()), policy.plan(s.engine(), -1)));
    }
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
}
