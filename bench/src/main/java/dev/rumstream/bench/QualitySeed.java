package dev.rumstream.bench;

import static dev.rumstream.bench.BenchJson.round;

import dev.rumstream.bench.rum.RefinedForgetSet;
import dev.rumstream.bench.rum.Refinement;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.UnlearningEngine.TrainedModel;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.EvaluationSets;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.eval.PartMeasurement;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.memorization.ProxyKind;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One seed's fixed parts: θo (measured before any unlearning), the forget set S, the retrained θr
 * and the sets every model of the seed is measured on (S, a sample of R = D_train \ S seeded by the
 * seed, sorted, whose first rows are the MIA's shadow members, and the test sample).
 */
record QualitySeed(
    long seed,
    UnlearningEngine engine,
    EvaluationSets sets,
    Classifier original,
    RefinedForgetSet forgetSet,
    MemorizationScores proxy,
    PartMeasurement before,
    PartMeasurement reference,
    double retrainSeconds,
    Map<String, Object> summary)
    implements AutoCloseable {

  long[] forget() {
    return forgetSet.all();
  }

  /** Measures a model of this seed on the seed's sets, each memorization level on its own too. */
  PartMeasurement measure(Classifier model) {
    return measure(engine, sets, forgetSet, model);
  }

  private static PartMeasurement measure(
      UnlearningEngine engine, EvaluationSets sets, RefinedForgetSet forgetSet, Classifier model) {
    int[][] levels = new int[MemorizationLevel.values().length][];
    for (MemorizationLevel level : MemorizationLevel.values()) {
      levels[level.ordinal()] =
          Arrays.stream(forgetSet.level(level)).mapToInt(engine.data().train()::rowOf).toArray();
    }
    return engine.measure(model, sets, levels);
  }

  @Override
  public void close() {
    original.close();
  }

  /**
   * Trains θo with the proxies, builds the "mix" forget set by confidence and retrains θr on
   * D_train \ S (timed).
   */
  static QualitySeed prepare(QualitySetup setup, long seed, Progress progress) {
    EngineConfig config =
        EngineConfig.defaults()
            .withSeed(seed)
            .withMiaShadowSize(setup.shadow())
            .withDevice(EngineConfig.DevicePreference.CPU)
            .withProgress(true);
    UnlearningEngine engine = new UnlearningEngine(config, setup.splits());
    ImageDataset train = setup.splits().train();
    progress.start("seed " + seed + ": train θo (" + setup.epochs() + " epochs, proxies recorded)");
    long t0 = System.nanoTime();
    TrainedModel trained =
        engine.trainOriginal(ModelSpec.smallCnn(train), TrainingRecipe.paper(setup.epochs(), seed));
    double originalSeconds = (System.nanoTime() - t0) / 1e9;
    Classifier original = trained.model();
    MemorizationScores proxy = trained.proxies().scores(ProxyKind.CONFIDENCE);
    RefinedForgetSet forgetSet =
        setup.levels() == QualitySetup.Levels.MEMORIZATION
            ? setup.estimate().mixed(setup.perLevel())
            : Refinement.mixed(proxy, setup.perLevel());
    long[] forget = forgetSet.all();
    EvaluationSets sets =
        EvaluationSets.of(train, setup.evalTest(), forget, DeletionLedger.empty())
            .withRetainSample(setup.evalRetain(), seed * 7919 + 17);
    PartMeasurement before = measure(engine, sets, forgetSet, original);
    double trainAccuracy = engine.accuracy(original, train.allRows());
    progress.done(
        String.format(
            Locale.ROOT,
            "%.1f s, train acc %.4f, test acc %.4f, θo acc on S low/med/high %s",
            originalSeconds,
            trainAccuracy,
            before.whole().accuracies().test(),
            levels(before.accuracies())));

    progress.start("seed " + seed + ": retrain θr on D_train \\ S (" + setup.epochs() + " epochs)");
    PartMeasurement reference;
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
      reference = measure(engine, sets, forgetSet, retrained);
      Measurement r = reference.whole();
      progress.done(
          String.format(
              Locale.ROOT,
              "%.1f s, acc S/R/test %.4f/%.4f/%.4f, acc on S low/med/high %s, MIA %.3f",
              retrainSeconds,
              r.accuracies().forget(),
              r.accuracies().retain(),
              r.accuracies().test(),
              levels(reference.accuracies()),
              r.mia()));
    }
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("seed", seed);
    ref.put("original_seconds", round(originalSeconds, 2));
    ref.put("original_train_acc", round(trainAccuracy, 6));
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
    return new QualitySeed(
        seed, engine, sets, original, forgetSet, proxy, before, reference, retrainSeconds, ref);
  }

  private static String levels(double[] values) {
    return String.join(
        "/", Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
  }

  /**
   * The whole-set figures, the attack's held-out rate and each level's accuracy and attack rate.
   */
  static Map<String, Object> measurementMap(PartMeasurement pm) {
    Measurement m = pm.whole();
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("forget_acc", round(m.accuracies().forget(), 6));
    map.put("retain_acc", round(m.accuracies().retain(), 6));
    map.put("test_acc", round(m.accuracies().test(), 6));
    map.put("mia", round(m.mia(), 6));
    map.put("held_out_mia", round(m.heldOutMia(), 6));
    Map<String, Object> levels = new LinkedHashMap<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      levels.put(
          level.name(),
          Map.of(
              "forget_acc", round(pm.accuracies()[level.ordinal()], 6),
              "mia", round(pm.mias()[level.ordinal()], 6)));
    }
    map.put("levels", levels);
    return map;
  }
}
