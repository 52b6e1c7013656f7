package dev.rumstream.bench;

import static dev.rumstream.bench.BenchJson.round;

import dev.rumstream.bench.rum.Rum;
import dev.rumstream.bench.rum.RumStep;
import dev.rumstream.bench.rum.RumStepResult;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.eval.PartMeasurement;
import dev.rumstream.engine.eval.TugOfWar;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.model.Classifier;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The methods the quality benchmark compares, each run from one seed's θo and judged against its
 * θr: the per-step hyper-parameters, the RUM^F and full-RUM plans, and one result row per run.
 */
final class QualityRuns {

  private QualityRuns() {}

  /**
   * The per-step hyper-parameters: the defaults (or the given overrides), retain sampling and the
   * epoch cap.
   */
  static Map<String, String> baseHyperParameters(
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
              hp.getOrDefault("epochs", engine.defaultHyperParameters(algorithm).get("epochs")));
      hp.put("epochs", Integer.toString(Math.min(epochs, epochCap)));
    }
    return hp;
  }

  /** RUM^F: the same unlearner (the algorithm's searched values) on every level. */
  static Map<MemorizationLevel, Unlearner> sameAtEveryLevel(Unlearner unlearner) {
    Map<MemorizationLevel, Unlearner> plan = new EnumMap<>(MemorizationLevel.class);
    for (MemorizationLevel level : MemorizationLevel.values()) {
      plan.put(level, unlearner);
    }
    return plan;
  }

  /**
   * RUM with NegGrad+ at every level and the per-step values released with the proxy RUM
   * (main_rum_proxy.py: α 0.99 / 0.97 / 0.97, lr 0.01 / 0.01 / 0.001, epochs 5 / 5 / 10).
   */
  static Map<MemorizationLevel, Unlearner> releasedNegGradPlusPlan(
      UnlearningEngine engine, int retain, int cap) {
    UnlearningAlgorithm ngp = UnlearningAlgorithm.NEG_GRAD_PLUS;
    Map<MemorizationLevel, Unlearner> plan = new EnumMap<>(MemorizationLevel.class);
    plan.put(
        MemorizationLevel.LOW,
        engine.unlearner(
            ngp,
            baseHyperParameters(
                engine, ngp, Map.of("alpha", "0.99", "lr", "0.01", "epochs", "5"), retain, cap)));
    plan.put(
        MemorizationLevel.MEDIUM,
        engine.unlearner(
            ngp,
            baseHyperParameters(
                engine, ngp, Map.of("alpha", "0.97", "lr", "0.01", "epochs", "5"), retain, cap)));
    plan.put(
        MemorizationLevel.HIGH,
        engine.unlearner(
            ngp,
            baseHyperParameters(
                engine, ngp, Map.of("alpha", "0.97", "lr", "0.001", "epochs", "10"), retain, cap)));
    return plan;
  }

  /**
   * Full RUM as released (main_rum.py): nothing / Fine-tune lr 0.1, 10 epochs / SalUn lr 0.1, 5
   * epochs.
   */
  static Map<MemorizationLevel, Unlearner> fullRumPlan(
      UnlearningEngine engine, int retain, int cap) {
    Map<MemorizationLevel, Unlearner> full = new EnumMap<>(MemorizationLevel.class);
    full.put(MemorizationLevel.LOW, engine.unlearner(UnlearningAlgorithm.NONE, Map.of()));
    full.put(
        MemorizationLevel.MEDIUM,
        engine.unlearner(
            UnlearningAlgorithm.FINE_TUNE,
            baseHyperParameters(
                engine,
                UnlearningAlgorithm.FINE_TUNE,
                Map.of("lr", "0.1", "epochs", "10"),
                retain,
                cap)));
    full.put(
        MemorizationLevel.HIGH,
        engine.unlearner(
            UnlearningAlgorithm.SALUN,
            baseHyperParameters(
                engine,
                UnlearningAlgorithm.SALUN,
                Map.of("lr", "0.1", "epochs", "5"),
                retain,
                cap)));
    return full;
  }

  static Map<String, Object> runVariant(
      QualitySeed s, Progress progress, String algorithm, String variant, List<RumStep> plan) {
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
      PartMeasurement measured = s.measure(model);
      Measurement after = measured.whole();
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
              measured,
              s.reference().whole(),
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

  static Map<String, Object> row(
      String algorithm,
      String variant,
      long seed,
      PartMeasurement measured,
      Measurement reference,
      double seconds,
      double retrainSeconds,
      Map<String, Object> steps) {
    Measurement m = measured.whole();
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
    Map<String, Object> figures = QualitySeed.measurementMap(measured);
    row.put("mia", figures.get("mia"));
    row.put("held_out_mia", figures.get("held_out_mia"));
    row.put("levels", figures.get("levels"));
    row.put("seconds", round(seconds, 3));
    row.put("retrain_seconds", round(retrainSeconds, 3));
    if (!steps.isEmpty()) {
      row.put("steps", steps);
    }
    return row;
  }
}
