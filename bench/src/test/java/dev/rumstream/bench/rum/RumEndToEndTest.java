package dev.rumstream.bench.rum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.UnlearningEngine.TrainedModel;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.eval.UnlearningReport;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.ProxyKind;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The engine's front door end to end under RUM on a small Fashion-MNIST subset: θo with proxies,
 * θr, a full RUM pass, the report.
 */
class RumEndToEndTest {

  @Test
  void fullRumOnAMixedForgetSetReportsEveryMetricAgainstTheRetrainedReference() {
    DatasetSplits splits = TestData.fashionSubset(1_500, 500, 17);
    UnlearningEngine engine = new UnlearningEngine(TestData.CONFIG, splits);
    TrainedModel trained =
        engine.trainOriginal(ModelSpec.smallCnn(splits.train()), TrainingRecipe.paper(2, 1));
    try (Classifier original = trained.model();
        Classifier retrained = original.copy();
        Classifier model = original.copy()) {
      RefinedForgetSet forgetSet =
          Refinement.mixed(trained.proxies().scores(ProxyKind.CONFIDENCE), 20);
      long[] forget = forgetSet.all();
      assertThat(forget).hasSize(60);

      engine.unlearn(
          retrained,
          Optional.empty(),
          UnlearningAlgorithm.RETRAIN,
          Map.of("epochs", "2"),
          forget,
          DeletionLedger.empty());
      Measurement reference = engine.measure(retrained, forget, DeletionLedger.empty(), false);

      List<RumStepResult> steps =
          new Rum(splits.train())
              .run(
                  model,
                  Optional.of(original),
                  RumPlans.refined(
                      forgetSet,
                      Map.of(
                          MemorizationLevel.LOW,
                              engine.unlearner(UnlearningAlgorithm.NONE, Map.of()),
                          MemorizationLevel.MEDIUM,
                              engine.unlearner(
                                  UnlearningAlgorithm.FINE_TUNE,
                                  Map.of("epochs", "1", "retain_count", "500")),
                          MemorizationLevel.HIGH,
                              engine.unlearner(
                                  UnlearningAlgorithm.SALUN,
                                  Map.of("epochs", "1", "lr", "0.05", "retain_count", "500")))),
                  DeletionLedger.empty());
      assertThat(steps)
          .extracting(s -> s.outcome().algorithm())
          .containsExactly(
              UnlearningAlgorithm.NONE, UnlearningAlgorithm.FINE_TUNE, UnlearningAlgorithm.SALUN);
      assertThat(steps.get(2).deletedAfter().toArray()).containsExactly(forget);

      UnlearningOutcome last = steps.get(2).outcome();
      UnlearningReport report =
          engine.report(
              "rum",
              last,
              model,
              Optional.of(original),
              forget,
              DeletionLedger.empty(),
              Optional.of(reference));
      assertThat(report.outcome().retainSize()).isEqualTo(500);
      assertThat(report.device()).isEqualTo("cpu");
      assertThat(report.forgetAccuracy()).isBetween(0.0, 1.0);
      assertThat(report.mia()).isBetween(0.0, 1.0);
      assertThat(report.entanglement().getAsDouble()).isPositive();
      assertThat(report.tow().getAsDouble()).isBetween(0.0, 1.0);
      assertThat(report.towMia().getAsDouble()).isBetween(0.0, 1.0);

      UnlearningReport self =
          engine.report(
              "reference",
              last,
              retrained,
              Optional.empty(),
              forget,
              DeletionLedger.empty(),
              Optional.of(reference));
      assertThat(self.tow().getAsDouble()).isEqualTo(1.0);
      assertThat(self.towMia().getAsDouble()).isEqualTo(1.0);
      assertThat(self.entanglement()).isEmpty();
    }
  }
}
