package dev.rumstream.bench;

import static dev.rumstream.bench.Machine.loadAverage;

import dev.rumstream.bench.FidelityEstimate.Estimator;
import dev.rumstream.bench.FidelityEstimate.ModelResult;
import dev.rumstream.bench.FidelityEstimate.Report;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.UnlearningEngine.TrainedModel;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.memorization.HoldoutRetraining;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.memorization.ProxyKind;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.TrainingRecipe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Memorization-proxy fidelity (issue 7, item 2): how well each proxy of one training run ranks
 * examples the way Feldman's memorization does, estimated by subsampling (Feldman &amp; Zhang;
 * rum-method.md §3.2): K models, each trained on a random 70% of the training set, mem_i = acc(i |
 * i in the subset) − acc(i | i held out). Reports the Spearman correlation of every proxy with that
 * estimate, the estimate's own split-half reliability (the ceiling any proxy can reach at this K),
 * how the correlations settle as K grows, and the learning-event proxies' training-time overhead as
 * a ratio to plain training measured side by side in the same run.
 */
@Command(
    name = "proxy-fidelity",
    mixinStandardHelpOptions = true,
    description =
        "Spearman correlation of each memorization proxy with a subsampled Feldman memorization estimate "
            + "(K models on random subsets), and the proxies' training-time overhead; writes "
            + "bench/results/proxy-fidelity.json, -scores.csv.gz and PNG plots.")
public final class ProxyFidelity implements Callable<Integer> {

  private static final PrintStream OUT = System.out;

  @Option(
      names = "--train-size",
      description =
          "training examples, a fixed random subset of the 60,000 (the "
              + "quality benchmark's quick-profile subset with the same --subset-seed); default ${DEFAULT-VALUE}")
  private int trainSize = 10_000;

  @Option(names = "--subset-seed", description = "seed of that subset; default ${DEFAULT-VALUE}")
  private long subsetSeed = 0;

  @Option(
      names = "--fraction",
      description =
          "share of the training set each estimator model trains on "
              + "(Feldman & Zhang: 0.7); default ${DEFAULT-VALUE}")
  private double fraction = 0.7;

  @Option(
      names = "--epochs",
      description =
          "epochs of every model (θo and each estimator model; the paper's "
              + "recipe otherwise: SGD lr 0.1 cosine, momentum 0.9, wd 5e-4, batch 256); default ${DEFAULT-VALUE}")
  private int epochs = 10;

  @Option(
      names = "--models",
      description =
          "at most this many estimator models (K; the paper code: 400); "
              + "default ${DEFAULT-VALUE}")
  private int maxModels = 400;

  @Option(
      names = "--minutes",
      description =
          "time budget for the estimator models: no model starts that would "
              + "end after it (K is what fits); default ${DEFAULT-VALUE}")
  private double minutes = 45;

  @Option(
      names = "--overhead-rounds",
      description =
          "rounds of (plain training, training with the proxies "
              + "recorded) timed side by side; default ${DEFAULT-VALUE}")
  private int overheadRounds = 3;

  @Option(
      names = "--overhead-only",
      description =
          "measure only the overhead (step 1) and replace the cost "
              + "section of an existing results file with it (for a quieter moment than the long run had)")
  private boolean overheadOnly;

  @Option(
      names = "--holdout-size",
      description =
          "held-out examples for the holdout-retraining proxy, drawn from "
              + "the training images outside the subset (never the test set); default ${DEFAULT-VALUE}")
  private int holdoutSize = 5_000;

  @Option(
      names = "--seed",
      description =
          "seed of θo (its proxies); estimator model m uses seed + 1 + m; "
              + "default ${DEFAULT-VALUE}")
  private long seed = 1;

  @Option(names = "--data-dir", description = "Fashion-MNIST IDX files (default ${DEFAULT-VALUE})")
  private Path dataDir = FashionMnist.DEBIAN_DIR;

  @Option(names = "--out-dir", description = "where the results go (default ${DEFAULT-VALUE})")
  private Path outDir = Path.of("bench/results");

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new ProxyFidelity()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    DatasetSplits all = FashionMnist.load(dataDir, HeldOut.NONE);
    int[] shuffled = Subsets.shuffled(all.train(), subsetSeed);
    // The quality benchmark's subset is the first trainSize of this same shuffle; held-out images
    // follow it.
    int[] heldOutRows =
        Subsets.slice(shuffled, trainSize, Math.min(holdoutSize, shuffled.length - trainSize));
    ImageDataset train =
        all.train()
            .subset("fashion-mnist-train-" + trainSize, Subsets.slice(shuffled, 0, trainSize));
    ImageDataset heldOut =
        all.train().subset("fashion-mnist-heldout-" + heldOutRows.length, heldOutRows);
    UnlearningEngine engine =
        new UnlearningEngine(
            EngineConfig.defaults()
                .withSeed(seed)
                .withDevice(EngineConfig.DevicePreference.CPU)
                .withProgress(true),
            new DatasetSplits(train, all.test(), Optional.of(heldOut)));
    ModelSpec spec = ModelSpec.smallCnn(train);
    String loadBefore = loadAverage();
    Instant startedAt = Instant.now();

    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("dataset", "Fashion-MNIST");
    parameters.put("trainExamples", train.size());
    parameters.put("trainSubsetSeed", subsetSeed);
    parameters.put(
        "model", "small CNN (conv32-BN-ReLU-pool, conv64-BN-ReLU-pool, fc128-BN-ReLU, linear)");
    parameters.put(
        "recipe", QualitySetup.RECIPE + ", " + epochs + " epochs (θo and every estimator model)");
    parameters.put("estimatorFraction", fraction);
    parameters.put("estimatorMaxModels", maxModels);
    parameters.put("estimatorBudgetMinutes", minutes);
    parameters.put(
        "holdoutRetraining",
        "fine-tune θo on "
            + heldOut.size()
            + " training images outside the "
            + "subset (lr 0.1, ≤ 30 epochs, patience 4), symmetric KL per example");
    parameters.put("seed", seed);
    parameters.put("device", Devices.label(engine.device()));
    OUT.printf(Locale.ROOT, "proxy fidelity: %s; load average %s%n", parameters, loadBefore);

    // 1. θo with the proxies, and the proxies' overhead: plain and recording runs of the same
    // recipe, alternated.
    Progress progress = new Progress(2 * overheadRounds + 1);
    TrainingRecipe recipe = TrainingRecipe.paper(epochs, seed);
    List<Timing> plain = new ArrayList<>();
    List<Timing> recording = new ArrayList<>();
    Map<String, double[]> proxies = new LinkedHashMap<>();
    Timing holdoutTime = null;
    try (Classifier warmUp = engine.newModel(spec)) {
      // The first run in a JVM also pays for libtorch's and the JIT's warm-up: not part of either
      // figure.
      engine.train(warmUp, Arrays.copyOf(train.allRows(), 2_048), recipe.withEpochs(1));
    }
    String overheadLoadBefore = loadAverage();
    for (int round = 0; round < overheadRounds; round++) {
      // Alternate which of the two goes first, so a drift in the machine's load does not favour
      // one.
      if (round % 2 == 0) {
        plain.add(plainRun(progress, round, engine, spec, recipe));
      }
      progress.start(
          "round " + (round + 1) + ": training with the learning-event proxies recorded");
      // Both sides of the comparison time the model's creation with its training.
      TrainedModel[] trained = new TrainedModel[1];
      Timing t = Timing.of(() -> trained[0] = engine.trainOriginal(spec, recipe));
      try (Classifier model = trained[0].model()) {
        recording.add(t);
        progress.done(t.format());
        if (round == 0) {
          for (ProxyKind kind :
              List.of(
                  ProxyKind.CONFIDENCE,
                  ProxyKind.MAX_CONFIDENCE,
                  ProxyKind.NEGATIVE_ENTROPY,
                  ProxyKind.BINARY_ACCURACY)) {
            proxies.put(kind.name(), valuesByRow(train, trained[0].proxies().scores(kind)));
          }
          progress.start("holdout-retraining proxy on θo");
          MemorizationScores[] holdout = new MemorizationScores[1];
          holdoutTime =
              Timing.of(
                  () ->
                      holdout[0] =
                          engine.holdoutRetrainingScores(
                              model, HoldoutRetraining.Recipe.paper(seed)));
          proxies.put(ProxyKind.HOLDOUT_RETRAINING.name(), valuesByRow(train, holdout[0]));
          progress.done(holdoutTime.format());
        }
      }
      if (round % 2 == 1) {
        plain.add(plainRun(progress, round, engine, spec, recipe));
      }
    }
    Overhead overhead =
        new Overhead(plain, recording, holdoutTime, overheadLoadBefore, loadAverage());
    OUT.println(overhead.describe());
    FidelityResults results = new FidelityResults(outDir);
    if (overheadOnly) {
      results.replaceCost(overhead);
      return 0;
    }

    // 2. The subsampled memorization estimate: model m trains on a random fraction, is scored on
    // every example.
    Estimator estimator = new Estimator(train.size());
    int subsetSize = (int) Math.round(fraction * train.size());
    long budgetNanos = (long) (minutes * 60e9);
    long phaseStart = System.nanoTime();
    Progress models = new Progress(maxModels);
    for (int m = 0; m < maxModels; m++) {
      long elapsed = System.nanoTime() - phaseStart;
      if (m > 0 && elapsed + elapsed / m > budgetNanos) {
        OUT.printf(Locale.ROOT, "time budget of %.0f min reached after %d models%n", minutes, m);
        break;
      }
      long modelSeed = seed + 1 + m;
      int[] rows = Subsets.slice(Subsets.shuffled(train, modelSeed * 31 + 7), 0, subsetSize);
      models.start("estimator model " + (m + 1) + ": " + rows.length + " examples");
      try (Classifier model = engine.newModel(spec, modelSeed)) {
        Timing t =
            Timing.of(() -> engine.train(model, rows, TrainingRecipe.paper(epochs, modelSeed)));
        boolean[] correct = engine.correct(model, train.allRows());
        ModelResult r = estimator.add(rows, correct);
        models.done(
            String.format(
                Locale.ROOT,
                "trained in %.1f s; accuracy on its subset %.4f, on the rest %.4f",
                t.wall(),
                r.inAccuracy(),
                r.outAccuracy()));
      }
      Report report = FidelityEstimate.report(estimator, proxies, train);
      if ((m + 1) % 10 == 0) {
        OUT.printf(Locale.ROOT, "        K=%d: %s%n", m + 1, report.brief());
      }
      results.save(
          parameters, startedAt, loadBefore, overhead, estimator, report, train, proxies, false);
    }
    Report report = FidelityEstimate.report(estimator, proxies, train);
    parameters.put("loadAverageAfter", loadAverage());
    results.save(
        parameters, startedAt, loadBefore, overhead, estimator, report, train, proxies, true);
    FidelityResults.print(report, overhead, estimator.models(), fraction);
    FidelityPlots.draw(
        outDir, report, proxies.get(ProxyKind.CONFIDENCE.name()), estimator.memorization());
    return 0;
  }

  private Timing plainRun(
      Progress progress,
      int round,
      UnlearningEngine engine,
      ModelSpec spec,
      TrainingRecipe recipe) {
    progress.start(
        "round "
            + (round + 1)
            + ": plain training ("
            + epochs
            + " epochs, "
            + engine.data().train().size()
            + " examples)");
    Timing t =
        Timing.of(
            () -> {
              try (Classifier model = engine.newModel(spec)) {
                engine.train(model, engine.data().train().allRows(), recipe);
              }
            });
    progress.done(t.format());
    return t;
  }

  /** A proxy's values in the training set's row order. */
  private static double[] valuesByRow(ImageDataset train, MemorizationScores scores) {
    double[] out = new double[train.size()];
    for (int i = 0; i < scores.size(); i++) {
      out[train.rowOf(scores.ids()[i])] = scores.values()[i];
    }
    return out;
  }
}
