package dev.rumstream.bench;

import static dev.rumstream.bench.Machine.loadAverage;
import static dev.rumstream.bench.QualityBenchmark.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rumstream.bench.QualityBenchmark.Progress;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.Inference;
import dev.rumstream.engine.memorization.HoldoutRetraining;
import dev.rumstream.engine.memorization.LearningEventRecorder;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.memorization.ProxyKind;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.ModelTrainer;
import dev.rumstream.engine.train.TrainingRecipe;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
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

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new ProxyFidelity()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    DatasetSplits all = FashionMnist.load(dataDir, HeldOut.NONE);
    int[] shuffled = Batches.shuffled(all.train().allRows(), new Random(subsetSeed));
    int[] universeRows = sortedPrefix(shuffled, 0, trainSize);
    // The quality benchmark's subset is the first trainSize of this same shuffle; held-out images
    // follow it.
    int[] heldOutRows =
        sortedPrefix(shuffled, trainSize, Math.min(holdoutSize, shuffled.length - trainSize));
    ImageDataset train = all.train().subset("fashion-mnist-train-" + trainSize, universeRows);
    ImageDataset heldOut =
        all.train().subset("fashion-mnist-heldout-" + heldOutRows.length, heldOutRows);
    EngineConfig config =
        EngineConfig.defaults().withSeed(seed).withDevice(EngineConfig.DevicePreference.CPU);
    ai.djl.Device device = Devices.select(config.device());
    ModelSpec spec = ModelSpec.smallCnn(train);
    ModelTrainer trainer = new ModelTrainer(config);
    Inference inference = new Inference(config.evalBatchSize());
    String loadBefore = loadAverage();
    Instant startedAt = Instant.now();

    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("dataset", "Fashion-MNIST");
    parameters.put("trainExamples", train.size());
    parameters.put("trainSubsetSeed", subsetSeed);
    parameters.put(
        "model", "small CNN (conv32-BN-ReLU-pool, conv64-BN-ReLU-pool, fc128-BN-ReLU, linear)");
    parameters.put(
        "recipe",
        "SGD lr 0.1 cosine, momentum 0.9, weight decay 5e-4, batch 256, no augmentation, "
            + epochs
            + " epochs (θo and every estimator model)");
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
    parameters.put("device", Devices.label(device));
    OUT.printf(Locale.ROOT, "proxy fidelity: %s; load average %s%n", parameters, loadBefore);

    // 1. θo with the proxies, and the proxies' overhead: plain and recording runs of the same
    // recipe, alternated.
    Progress progress = new Progress(2 * overheadRounds + 1);
    TrainingRecipe recipe = TrainingRecipe.paper(epochs, seed);
    List<Timing> plain = new ArrayList<>();
    List<Timing> recording = new ArrayList<>();
    Map<String, double[]> proxies = new LinkedHashMap<>();
    Timing holdoutTime = null;
    try (Classifier warmUp = Classifier.create(spec, device, seed)) {
      // The first run in a JVM also pays for libtorch's and the JIT's warm-up: not part of either
      // figure.
      trainer.train(
          warmUp,
          train,
          Arrays.copyOf(train.allRows(), 2_048),
          recipe.withEpochs(1),
          Optional.empty());
    }
    String overheadLoadBefore = loadAverage();
    for (int round = 0; round < overheadRounds; round++) {
      // Alternate which of the two goes first, so a drift in the machine's load does not favour
      // one.
      if (round % 2 == 0) {
        plain.add(plainRun(progress, round, spec, device, trainer, train, recipe));
      }
      progress.start(
          "round " + (round + 1) + ": training with the learning-event proxies recorded");
      try (Classifier model = Classifier.create(spec, device, seed)) {
        LearningEventRecorder recorder = new LearningEventRecorder(train);
        Timing t =
            Timing.of(
                () -> trainer.train(model, train, train.allRows(), recipe, Optional.of(recorder)));
        recording.add(t);
        progress.done(t.format());
        if (round == 0) {
          for (ProxyKind kind :
              List.of(
                  ProxyKind.CONFIDENCE,
                  ProxyKind.MAX_CONFIDENCE,
                  ProxyKind.NEGATIVE_ENTROPY,
                  ProxyKind.BINARY_ACCURACY)) {
            proxies.put(kind.name(), valuesByRow(train, recorder.snapshot().scores(kind)));
          }
          progress.start("holdout-retraining proxy on θo");
          MemorizationScores[] holdout = new MemorizationScores[1];
          holdoutTime =
              Timing.of(
                  () ->
                      holdout[0] =
                          new HoldoutRetraining(inference)
                              .scores(model, heldOut, train, HoldoutRetraining.Recipe.paper(seed)));
          proxies.put(ProxyKind.HOLDOUT_RETRAINING.name(), valuesByRow(train, holdout[0]));
          progress.done(holdoutTime.format());
        }
      }
      if (round % 2 == 1) {
        plain.add(plainRun(progress, round, spec, device, trainer, train, recipe));
      }
    }
    Overhead overhead =
        new Overhead(plain, recording, holdoutTime, overheadLoadBefore, loadAverage());
    OUT.println(overhead.describe());
    if (overheadOnly) {
      replaceCost(overhead);
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
      int[] rows =
          sortedPrefix(
              Batches.shuffled(train.allRows(), new Random(modelSeed * 31 + 7)), 0, subsetSize);
      models.start("estimator model " + (m + 1) + ": " + rows.length + " examples");
      try (Classifier model = Classifier.create(spec, device, modelSeed)) {
        Timing t =
            Timing.of(
                () ->
                    trainer.train(
                        model,
                        train,
                        rows,
                        TrainingRecipe.paper(epochs, modelSeed),
                        Optional.empty()));
        boolean[] correct = inference.predict(model, train, train.allRows()).correct();
        ModelResult r = estimator.add(rows, correct);
        models.done(
            String.format(
                Locale.ROOT,
                "trained in %.1f s; accuracy on its subset %.4f, on the rest %.4f",
                t.wall(),
                r.inAccuracy(),
                r.outAccuracy()));
      }
      Report report = report(estimator, proxies, train);
      if ((m + 1) % 10 == 0) {
        OUT.printf(Locale.ROOT, "        K=%d: %s%n", m + 1, report.brief());
      }
      save(parameters, startedAt, loadBefore, overhead, estimator, report, train, proxies, false);
    }
    Report report = report(estimator, proxies, train);
    parameters.put("loadAverageAfter", loadAverage());
    save(parameters, startedAt, loadBefore, overhead, estimator, report, train, proxies, true);
    print(report, overhead, estimator.models());
    FidelityPlots.draw(
        outDir, report, proxies.get(ProxyKind.CONFIDENCE.name()), estimator.memorization());
    return 0;
  }

  private Timing plainRun(
      Progress progress,
      int round,
      ModelSpec spec,
      ai.djl.Device device,
      ModelTrainer trainer,
      ImageDataset train,
      TrainingRecipe recipe) {
    progress.start(
        "round "
            + (round + 1)
            + ": plain training ("
            + epochs
            + " epochs, "
            + train.size()
            + " examples)");
    try (Classifier model = Classifier.create(spec, device, seed)) {
      Timing t =
          Timing.of(() -> trainer.train(model, train, train.allRows(), recipe, Optional.empty()));
      progress.done(t.format());
      return t;
    }
  }

  private static int[] sortedPrefix(int[] rows, int from, int count) {
    int[] out = Arrays.copyOfRange(rows, from, from + count);
    Arrays.sort(out);
    return out;
  }

  /** A proxy's values in the training set's row order. */
  private static double[] valuesByRow(ImageDataset train, MemorizationScores scores) {
    double[] out = new double[train.size()];
    for (int i = 0; i < scores.size(); i++) {
      out[train.rowOf(scores.ids()[i])] = scores.values()[i];
    }
    return out;
  }

  /**
   * Wall time and this process's CPU time (all its threads, libtorch's included) of one piece of
   * work. On a shared machine the CPU time is the steadier of the two: other processes stretch the
   * wall time, not this one's CPU time.
   */
  record Timing(double wall, double cpu) {
    static Timing of(Runnable work) {
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      work.run();
      return new Timing((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9);
    }

    String format() {
      return String.format(Locale.ROOT, "%.1f s wall, %.1f s CPU", wall, cpu);
    }
  }

  /** The overhead comparison: medians of each side, in wall and in CPU time. */
  record Overhead(
      List<Timing> plain,
      List<Timing> recording,
      Timing holdout,
      String loadBefore,
      String loadAfter) {
    double wallRatio() {
      return median(recording, Timing::wall) / median(plain, Timing::wall);
    }

    double cpuRatio() {
      return median(recording, Timing::cpu) / median(plain, Timing::cpu);
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "training with the learning-event proxies recorded / plain training "
              + "(medians of %d rounds): wall %.1f / %.1f s = %.3f, CPU %.1f / %.1f s = %.3f; holdout retraining "
              + "%s = %.3f × plain training (wall); load average %s before, %s after",
          plain.size(),
          median(recording, Timing::wall),
          median(plain, Timing::wall),
          wallRatio(),
          median(recording, Timing::cpu),
          median(plain, Timing::cpu),
          cpuRatio(),
          holdout.format(),
          holdout.wall() / median(plain, Timing::wall),
          loadBefore,
          loadAfter);
    }

    Map<String, Object> toJson() {
      Map<String, Object> cost = new LinkedHashMap<>();
      cost.put("measuredAt", Instant.now().toString());
      cost.put("loadAverageBefore", loadBefore);
      cost.put("loadAverageAfter", loadAfter);
      cost.put("plainTraining", plain);
      cost.put("recordingTraining", recording);
      cost.put("overheadRatioWall", round(wallRatio(), 4));
      cost.put("overheadRatioCpu", round(cpuRatio(), 4));
      cost.put("holdoutRetraining", holdout);
      cost.put(
          "holdoutRetrainingRatioWall", round(holdout.wall() / median(plain, Timing::wall), 4));
      cost.put("holdoutRetrainingRatioCpu", round(holdout.cpu() / median(plain, Timing::cpu), 4));
      return cost;
    }

    private static double median(
        List<Timing> timings, java.util.function.ToDoubleFunction<Timing> part) {
      double[] v = timings.stream().mapToDouble(part).sorted().toArray();
      return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
  }

  record ModelResult(double inAccuracy, double outAccuracy) {}

  /**
   * Per-model correctness on every example and membership of its subset; the estimate can be taken
   * over any subset of the models (all, halves, the first k).
   */
  static final class Estimator {
    private final int n;
    private final List<BitSet> members = new ArrayList<>();
    private final List<BitSet> correct = new ArrayList<>();

    Estimator(int n) {
      this.n = n;
    }

    ModelResult add(int[] rows, boolean[] isCorrect) {
      BitSet in = new BitSet(n);
      for (int row : rows) {
        in.set(row);
      }
      BitSet ok = new BitSet(n);
      int inRight = 0;
      int outRight = 0;
      for (int row = 0; row < n; row++) {
        if (isCorrect[row]) {
          ok.set(row);
          if (in.get(row)) {
            inRight++;
          } else {
            outRight++;
          }
        }
      }
      members.add(in);
      correct.add(ok);
      return new ModelResult((double) inRight / rows.length, (double) outRight / (n - rows.length));
    }

    int models() {
      return members.size();
    }

    double[] memorization() {
      return memorization(m -> true);
    }

    /**
     * mem_i = (share of the selected models with i in their subset that get i right) − (the same
     * over the models that held i out); NaN where either side has no model.
     */
    double[] memorization(java.util.function.IntPredicate selected) {
      double[] mem = new double[n];
      for (int row = 0; row < n; row++) {
        int inCount = 0;
        int inRight = 0;
        int outCount = 0;
        int outRight = 0;
        for (int m = 0; m < members.size(); m++) {
          if (!selected.test(m)) {
            continue;
          }
          boolean ok = correct.get(m).get(row);
          if (members.get(m).get(row)) {
            inCount++;
            inRight += ok ? 1 : 0;
          } else {
            outCount++;
            outRight += ok ? 1 : 0;
          }
        }
        mem[row] =
            inCount == 0 || outCount == 0
                ? Double.NaN
                : (double) inRight / inCount - (double) outRight / outCount;
      }
      return mem;
    }

    int[] heldOutCounts() {
      int[] counts = new int[n];
      for (BitSet in : members) {
        for (int row = 0; row < n; row++) {
          counts[row] += in.get(row) ? 0 : 1;
        }
      }
      return counts;
    }
  }

  /**
   * A Spearman correlation with its 95% interval (Fisher z with Fieller's variance 1.06 / (n − 3)).
   */
  record Correlation(double rho, double low, double high, int n) {
    static Correlation of(double[] a, double[] b) {
      List<double[]> pairs = new ArrayList<>();
      for (int i = 0; i < a.length; i++) {
        if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
          pairs.add(new double[] {a[i], b[i]});
        }
      }
      int n = pairs.size();
      if (n < 4) {
        return new Correlation(Double.NaN, Double.NaN, Double.NaN, n);
      }
      double rho =
          new SpearmansCorrelation()
              .correlation(
                  pairs.stream().mapToDouble(p -> p[0]).toArray(),
                  pairs.stream().mapToDouble(p -> p[1]).toArray());
      double z = atanh(rho);
      double half = 1.96 * Math.sqrt(1.06 / (n - 3));
      return new Correlation(rho, Math.tanh(z - half), Math.tanh(z + half), n);
    }

    private static double atanh(double x) {
      return 0.5 * Math.log((1 + x) / (1 - x));
    }

    String format() {
      return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", rho, low, high);
    }
  }

  /**
   * What one estimate says: each proxy's correlation with mem, the split-half reliability of mem
   * (even against odd models, and Spearman–Brown-corrected to all K), and the correlations over the
   * first k models.
   */
  record Report(
      int models,
      Map<String, Correlation> byProxy,
      Correlation splitHalf,
      double spearmanBrown,
      Map<Integer, Map<String, Double>> byModels,
      double memMean,
      double memAboveHalf) {
    String brief() {
      StringBuilder sb = new StringBuilder();
      byProxy.forEach(
          (k, c) ->
              sb.append(k.toLowerCase(Locale.ROOT))
                  .append(' ')
                  .append(String.format(Locale.ROOT, "%+.3f", c.rho()))
                  .append("  "));
      return sb.append(String.format(Locale.ROOT, "split-half %.3f", splitHalf.rho())).toString();
    }
  }

  private static Report report(
      Estimator estimator, Map<String, double[]> proxies, ImageDataset train) {
    double[] mem = estimator.memorization();
    Map<String, Correlation> byProxy = new LinkedHashMap<>();
    proxies.forEach((name, values) -> byProxy.put(name, Correlation.of(values, mem)));
    Correlation split =
        Correlation.of(
            estimator.memorization(m -> m % 2 == 0), estimator.memorization(m -> m % 2 == 1));
    double brown = 2 * split.rho() / (1 + split.rho());
    Map<Integer, Map<String, Double>> byModels = new LinkedHashMap<>();
    List<Integer> ks = new ArrayList<>();
    for (int k = 10; k < estimator.models(); k *= 2) {
      ks.add(k);
    }
    ks.add(estimator.models());
    for (int first : ks) {
      double[] partial = estimator.memorization(m -> m < first);
      Map<String, Double> rhos = new LinkedHashMap<>();
      proxies.forEach((name, values) -> rhos.put(name, Correlation.of(values, partial).rho()));
      byModels.put(first, rhos);
    }
    double[] finite = Arrays.stream(mem).filter(Double::isFinite).toArray();
    return new Report(
        estimator.models(),
        byProxy,
        split,
        brown,
        byModels,
        Arrays.stream(finite).average().orElse(Double.NaN),
        finite.length == 0
            ? Double.NaN
            : (double) Arrays.stream(finite).filter(v -> v > 0.5).count() / finite.length);
  }

  private void print(Report report, Overhead overhead, int k) {
    OUT.printf(
        Locale.ROOT,
        "%nmemorization estimate: K = %d models on %.0f%% subsets; mean mem %.4f, share above "
            + "0.5 %.4f%n",
        k,
        fraction * 100,
        report.memMean(),
        report.memAboveHalf());
    OUT.printf(
        Locale.ROOT,
        "split-half reliability (even vs odd models): Spearman %s; Spearman-Brown for all K: "
            + "%.3f%n",
        report.splitHalf().format(),
        report.spearmanBrown());
    OUT.printf(Locale.ROOT, "%-20s %-28s %s%n", "proxy", "Spearman vs mem [95% CI]", "examples");
    report
        .byProxy()
        .forEach((name, c) -> OUT.printf(Locale.ROOT, "%-20s %-28s %d%n", name, c.format(), c.n()));
    report
        .byModels()
        .forEach(
            (models, rhos) ->
                OUT.printf(
                    Locale.ROOT,
                    "with the first %3d models: %s%n",
                    models,
                    rhos.entrySet().stream()
                        .map(
                            e ->
                                String.format(
                                    Locale.ROOT,
                                    "%s %+.3f",
                                    e.getKey().toLowerCase(Locale.ROOT),
                                    e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", "))));
    OUT.println(overhead.describe());
  }

  private void save(
      Map<String, Object> parameters,
      Instant startedAt,
      String loadBefore,
      Overhead overhead,
      Estimator estimator,
      Report report,
      ImageDataset train,
      Map<String, double[]> proxies,
      boolean complete)
      throws IOException {
    Files.createDirectories(outDir);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "proxy-fidelity");
    root.put("complete", complete);
    root.put("date", startedAt.toString());
    root.put("updated", Instant.now().toString());
    root.put("loadAverageBefore", loadBefore);
    root.put("loadAverageNow", loadAverage());
    root.put("machine", Machine.describe());
    root.put("parameters", parameters);
    root.put("models", estimator.models());
    Map<String, Object> correlations = new LinkedHashMap<>();
    report
        .byProxy()
        .forEach(
            (name, c) ->
                correlations.put(
                    name,
                    Map.of(
                        "spearman",
                        round(c.rho(), 4),
                        "ci95",
                        List.of(round(c.low(), 4), round(c.high(), 4)),
                        "examples",
                        c.n())));
    root.put("spearmanVsMemorization", correlations);
    root.put("splitHalfSpearman", round(report.splitHalf().rho(), 4));
    root.put("spearmanBrown", round(report.spearmanBrown(), 4));
    root.put("spearmanByModels", report.byModels());
    root.put("memorizationMean", round(report.memMean(), 4));
    root.put("memorizationShareAboveHalf", round(report.memAboveHalf(), 4));
    root.put("cost", overhead.toJson());
    Path file = outDir.resolve("proxy-fidelity.json");
    Path tmp = outDir.resolve("proxy-fidelity.json.tmp");
    json.writeValue(tmp.toFile(), root);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    writeScores(estimator, train, proxies);
  }

  /**
   * Puts a new overhead measurement into the results file (made by an earlier full run), or into a
   * new one.
   */
  private void replaceCost(Overhead overhead) throws IOException {
    Files.createDirectories(outDir);
    Path file = outDir.resolve("proxy-fidelity.json");
    com.fasterxml.jackson.databind.node.ObjectNode root =
        Files.exists(file)
            ? (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile())
            : json.createObjectNode();
    root.set("cost", json.valueToTree(overhead.toJson()));
    Path tmp = outDir.resolve("proxy-fidelity.json.tmp");
    json.writeValue(tmp.toFile(), root);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    OUT.println("cost section of " + file + " replaced");
  }

  /**
   * Per example: id, label, held-out count, mem estimate and every proxy (gzip CSV, to redo any
   * analysis).
   */
  private void writeScores(Estimator estimator, ImageDataset train, Map<String, double[]> proxies) {
    Path file = outDir.resolve("proxy-fidelity-scores.csv.gz");
    Path tmp = outDir.resolve("proxy-fidelity-scores.csv.gz.tmp");
    double[] mem = estimator.memorization();
    int[] heldOut = estimator.heldOutCounts();
    try (PrintWriter w =
        new PrintWriter(
            new GZIPOutputStream(Files.newOutputStream(tmp)),
            false,
            java.nio.charset.StandardCharsets.UTF_8)) {
      w.print("id,label,models_held_out,mem");
      proxies.keySet().forEach(name -> w.print("," + name.toLowerCase(Locale.ROOT)));
      w.println();
      for (int row = 0; row < train.size(); row++) {
        w.printf(
            Locale.ROOT, "%d,%d,%d,%.6f", train.id(row), train.label(row), heldOut[row], mem[row]);
        for (double[] values : proxies.values()) {
          w.printf(Locale.ROOT, ",%.6g", values[row]);
        }
        w.println();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
