package dev.rumstream.engine;

import dev.rumstream.engine.UnlearningEngine.TrainedModel;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.eval.UnlearningReport;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A benchmark-style check of the whole engine on Fashion-MNIST: trains the small CNN (progress bar
 * per epoch), prints the measured epoch time and test accuracy, builds a mixed forget set by the
 * confidence proxy, retrains the reference, and prints the metrics table of Vanilla and RUM passes
 * against it.
 */
@Command(
    name = "engine-check",
    mixinStandardHelpOptions = true,
    description = "Train the small CNN on Fashion-MNIST and run Vanilla and RUM unlearning passes.")
public final class EngineCheck implements Callable<Integer> {

  @Option(
      names = "--epochs",
      description = "epochs for θo and the retrained reference (default ${DEFAULT-VALUE})")
  private int epochs = 3;

  @Option(
      names = "--per-level",
      description = "forget examples per memorization level (default ${DEFAULT-VALUE})")
  private int perLevel = 100;

  @Option(
      names = "--retain-count",
      description =
          "retain examples each unlearning step samples; 0 = all " + "(default ${DEFAULT-VALUE})")
  private int retainCount = 5_000;

  @Option(names = "--data-dir", description = "Fashion-MNIST IDX files (default ${DEFAULT-VALUE})")
  private Path dataDir = FashionMnist.DEBIAN_DIR;

  @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
  private long seed = 1;

  @Option(
      names = "--mia-shadow",
      description =
          "shadow members and non-members each for the SVC attack "
              + "(the paper: 10000; default ${DEFAULT-VALUE})")
  private int miaShadow = EngineConfig.defaults().miaShadowSize();

  public static void main(String[] args) {
    System.exit(new CommandLine(new EngineCheck()).execute(args));
  }

  @Override
  public Integer call() {
    EngineConfig config =
        EngineConfig.defaults().withSeed(seed).withProgressBars(true).withMiaShadowSize(miaShadow);
    DatasetSplits splits = FashionMnist.load(dataDir, HeldOut.NONE);
    UnlearningEngine engine = new UnlearningEngine(config, splits);
    ModelSpec spec = ModelSpec.smallCnn(splits.train());

    TrainedModel trained = engine.trainOriginal(spec, TrainingRecipe.paper(epochs, seed));
    try (Classifier original = trained.model()) {
      List<Double> seconds = trained.run().epochSeconds();
      for (int e = 0; e < seconds.size(); e++) {
        print(
            "epoch %d/%d: %.1f s, mean training loss %.4f",
            e + 1, seconds.size(), seconds.get(e), trained.run().epochLoss().get(e));
      }
      double testAccuracy =
          engine.measure(original, new long[0], DeletionLedger.empty(), false).accuracies().test();
      print(
          "small CNN (%d trainable parameters) on Fashion-MNIST, %s, %d training examples: "
              + "mean epoch %.1f s, test accuracy %.4f",
          original.trainableParameterCount(),
          engine.device(),
          splits.train().size(),
          trained.run().meanEpochSeconds(),
          testAccuracy);

      RefinedForgetSet forgetSet =
          Refinement.mixed(trained.proxies().scores(ProxyKind.CONFIDENCE), perLevel);
      long[] forget = forgetSet.all();
      unlearningTable(engine, original, forgetSet, forget);
    }
    return 0;
  }

  private void unlearningTable(
      UnlearningEngine engine, Classifier original, RefinedForgetSet forgetSet, long[] forget) {
    DeletionLedger none = DeletionLedger.empty();
    List<String> rows = new ArrayList<>();
    Measurement reference;
    try (Classifier retrained = original.copy()) {
      UnlearningOutcome outcome =
          engine.unlearn(
              retrained,
              Optional.empty(),
              UnlearningAlgorithm.RETRAIN,
              Map.of("epochs", Integer.toString(epochs)),
              forget,
              none);
      reference = engine.measure(retrained, forget, none, false);
      rows.add(
          engine
              .report(
                  "retrain (reference θr)",
                  outcome,
                  retrained,
                  Optional.of(original),
                  forget,
                  none,
                  Optional.of(reference))
              .row());
    }
    UnlearningOutcome nothing =
        engine.unlearn(
            original, Optional.empty(), UnlearningAlgorithm.NONE, Map.of(), forget, none);
    rows.add(
        engine
            .report(
                "original θo",
                nothing,
                original,
                Optional.of(original),
                forget,
                none,
                Optional.of(reference))
            .row());

    String retain = Integer.toString(retainCount);
    rows.add(
        vanilla(
            engine,
            original,
            forget,
            reference,
            UnlearningAlgorithm.FINE_TUNE,
            Map.of("retain_count", retain)));
    rows.add(
        vanilla(
            engine,
            original,
            forget,
            reference,
            UnlearningAlgorithm.SALUN,
            Map.of("retain_count", retain)));
    rows.add(
        vanilla(
            engine,
            original,
            forget,
            reference,
            UnlearningAlgorithm.NEG_GRAD_PLUS,
            Map.of("retain_count", retain)));

    // Full RUM as released: nothing / Fine-tune (lr 0.1, 10 epochs) / SalUn (lr 0.1, 5 epochs).
    Map<MemorizationLevel, Unlearner> fullRum =
        Map.of(
            MemorizationLevel.LOW, engine.unlearner(UnlearningAlgorithm.NONE, Map.of()),
            MemorizationLevel.MEDIUM,
                engine.unlearner(
                    UnlearningAlgorithm.FINE_TUNE,
                    Map.of("lr", "0.1", "epochs", "10", "retain_count", retain)),
            MemorizationLevel.HIGH,
                engine.unlearner(
                    UnlearningAlgorithm.SALUN,
                    Map.of("lr", "0.1", "epochs", "5", "retain_count", retain)));
    rows.addAll(
        rum(engine, original, "RUM", RumPlans.refined(forgetSet, fullRum), forget, reference));

    // RUM^F with NegGrad+ and the released per-step values.
    Map<MemorizationLevel, Unlearner> negGradPlus =
        Map.of(
            MemorizationLevel.LOW,
                engine.unlearner(
                    UnlearningAlgorithm.NEG_GRAD_PLUS,
                    Map.of("alpha", "0.99", "lr", "0.01", "epochs", "5", "retain_count", retain)),
            MemorizationLevel.MEDIUM,
                engine.unlearner(
                    UnlearningAlgorithm.NEG_GRAD_PLUS,
                    Map.of("alpha", "0.97", "lr", "0.01", "epochs", "5", "retain_count", retain)),
            MemorizationLevel.HIGH,
                engine.unlearner(
                    UnlearningAlgorithm.NEG_GRAD_PLUS,
                    Map.of(
                        "alpha", "0.97", "lr", "0.001", "epochs", "10", "retain_count", retain)));
    rows.addAll(
        rum(
            engine,
            original,
            "RUM^F NegGrad+",
            RumPlans.refined(forgetSet, negGradPlus),
            forget,
            reference));

    print("");
    print(
        "forget set: %d examples (%d low / %d medium / %d high memorization by the confidence proxy); "
            + "retain sample per step: %d; ES from the model each row started from",
        forget.length,
        forgetSet.level(MemorizationLevel.LOW).length,
        forgetSet.level(MemorizationLevel.MEDIUM).length,
        forgetSet.level(MemorizationLevel.HIGH).length,
        retainCount);
    print(UnlearningReport.header());
    rows.forEach(r -> print("%s", r));
  }

  private static String vanilla(
      UnlearningEngine engine,
      Classifier original,
      long[] forget,
      Measurement reference,
      UnlearningAlgorithm algorithm,
      Map<String, String> hp) {
    try (Classifier model = original.copy()) {
      UnlearningOutcome outcome =
          engine.unlearn(
              model, Optional.of(original), algorithm, hp, forget, DeletionLedger.empty());
      return engine
          .report(
              "vanilla " + algorithm,
              outcome,
              model,
              Optional.of(original),
              forget,
              DeletionLedger.empty(),
              Optional.of(reference))
          .row();
    }
  }

  private static List<String> rum(
      UnlearningEngine engine,
      Classifier original,
      String name,
      List<RumStep> plan,
      long[] forget,
      Measurement reference) {
    List<String> rows = new ArrayList<>();
    try (Classifier model = original.copy()) {
      List<RumStepResult> results =
          new Rum(engine.data().train())
              .run(
                  model,
                  Optional.of(original),
                  plan,
                  DeletionLedger.empty(),
                  (i, result, after) ->
                      rows.add(
                          engine
                              .report(
                                  name + " step " + result.step().label(),
                                  result.outcome(),
                                  after,
                                  Optional.of(original),
                                  result.step().forgetIds(),
                                  result.deletedBefore(),
                                  Optional.empty())
                              .row()));
      long millis = results.stream().mapToLong(r -> r.outcome().wallTimeMillis()).sum();
      Map<String, String> steps = new HashMap<>();
      results.forEach(r -> steps.put(r.step().label(), r.outcome().algorithm().name()));
      UnlearningOutcome total =
          new UnlearningOutcome(
              results.get(results.size() - 1).outcome().algorithm(),
              steps,
              forget.length,
              results.get(results.size() - 1).outcome().retainSize(),
              millis);
      rows.add(
          engine
              .report(
                  name + " (all of S)",
                  total,
                  model,
                  Optional.of(original),
                  forget,
                  DeletionLedger.empty(),
                  Optional.of(reference))
              .row());
    }
    return rows;
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
