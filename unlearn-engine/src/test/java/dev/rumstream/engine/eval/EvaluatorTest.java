package dev.rumstream.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.model.Classifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One measurement pass gives what the separate accuracy and attack passes give. */
class EvaluatorTest {
  private static final DatasetSplits SPLITS = Fixtures.fashionSubset(1_500, 500, 23);
  private final Evaluator evaluator = new Evaluator(Fixtures.CONFIG);

  private static Classifier trained() {
    return Fixtures.trainSmallCnn(SPLITS.train(), 1, 0.1, 5);
  }

  /** Sets whose forget set is the first {@code n} training examples. */
  private static EvaluationSets forgettingFirst(int n) {
    long[] forget = Arrays.copyOf(SPLITS.train().ids(SPLITS.train().allRows()), n);
    return EvaluationSets.of(SPLITS.train(), SPLITS.test(), forget, DeletionLedger.empty());
  }

  @Test
  void measuringPredictsEachExampleOnceAndAgreesWithTheSeparatePasses() {
    try (Classifier model = trained()) {
      EvaluationSets sets = forgettingFirst(60);

      Measurement measured = evaluator.measure(model, sets, false);

      assertThat(measured.accuracies()).isEqualTo(evaluator.accuracies(model, sets));
      assertThat(measured.mia()).isEqualTo(evaluator.mia(model, sets));
      assertThat(measured.accuracies().test()).isBetween(0.5, 1.0);
      assertThat(measured.entanglement()).isEmpty();
    }
  }

  @Test
  void eachPartOfTheForgetSetIsMeasuredOnItsOwnWithTheSameAttack() {
    try (Classifier model = trained()) {
      EvaluationSets sets = forgettingFirst(90);
      int[] rows = sets.forgetRows();
      int[] first = Arrays.copyOfRange(rows, 0, 30);
      int[] rest = Arrays.copyOfRange(rows, 30, 90);

      PartMeasurement parts = evaluator.measure(model, sets, first, rest, new int[0]);

      assertThat(parts.whole()).isEqualTo(evaluator.measure(model, sets, false));
      // The parts' accuracies and attack rates, weighted by size, are the whole set's.
      assertThat((30 * parts.accuracies()[0] + 60 * parts.accuracies()[1]) / 90)
          .isCloseTo(
              parts.whole().accuracies().forget(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat((30 * parts.mias()[0] + 60 * parts.mias()[1]) / 90)
          .isCloseTo(parts.whole().mia(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(parts.accuracies()[2]).isNaN();
      assertThat(parts.mias()[2]).isNaN();
    }
  }

  @Test
  void knownPredictionsGiveTheFullPassAccuraciesAndTheAttackOfTheRowsTheyWereMeasuredOn() {
    Evaluator heldOutAttack = new Evaluator(Fixtures.CONFIG.withMiaShadowSize(300));
    try (Classifier model = trained()) {
      EvaluationSets before = forgettingFirst(60).withRetainSample(800, 7);
      // Deleting every tenth sampled row takes some of the attack's shadow members, the first
      // retain rows, out of the retain set.
      int[] forgetRows =
          java.util.stream.IntStream.range(0, 80).map(i -> before.retainRows()[10 * i]).toArray();
      int[] retainRows =
          Arrays.stream(before.retainRows())
              .filter(row -> Arrays.binarySearch(forgetRows, row) < 0)
              .toArray();
      EvaluationSets after =
          new EvaluationSets(SPLITS.train(), SPLITS.test(), forgetRows, retainRows);

      Measurement reused =
          heldOutAttack.measure(model, after, heldOutAttack.predictions(model, before));

      Evaluator fresh = new Evaluator(Fixtures.CONFIG.withMiaShadowSize(300));
      assertThat(reused.accuracies()).isEqualTo(fresh.measure(model, after, false).accuracies());
      // The same parameters are asked by the same attack: the one of the rows they were measured
      // on.
      assertThat(reused.heldOutMia())
          .isEqualTo(fresh.measure(model, before, false).heldOutMia())
          .isNotNaN();
      Inference inference = new Inference(128);
      assertThat(reused.mia())
          .isEqualTo(
              MembershipInference.nonMemberFraction(
                  inference
                      .predict(model, SPLITS.train(), Arrays.copyOf(before.retainRows(), 300))
                      .trueClassConfidence(),
                  inference
                      .predict(model, SPLITS.test(), Arrays.copyOf(SPLITS.test().allRows(), 300))
                      .trueClassConfidence(),
                  inference.predict(model, SPLITS.train(), forgetRows).trueClassConfidence()));
    }
  }

  @Test
  void anAttackFittedOnTheSameShadowSetsIsReusedOnlyForTheSameConfidences() {
    Evaluator measuring = new Evaluator(Fixtures.CONFIG.withMiaShadowSize(300));
    try (Classifier model = trained();
        Classifier other = Fixtures.trainSmallCnn(SPLITS.train(), 1, 0.05, 9)) {
      EvaluationSets before = forgettingFirst(60).withRetainSample(800, 7);
      // Rows after the shadow members: the attack's shadow sets stay what they were.
      int[] forgetRows = Arrays.copyOfRange(before.retainRows(), 700, 720);
      int[] retainRows = Arrays.copyOfRange(before.retainRows(), 0, 700);
      EvaluationSets after =
          new EvaluationSets(SPLITS.train(), SPLITS.test(), forgetRows, retainRows);
      EvaluationPredictions known = measuring.predictions(model, before);
      measuring.measure(model, before, known);

      Measurement reused = measuring.measure(model, after, known);
      Measurement otherModel = measuring.measure(other, after, false);

      Evaluator fresh = new Evaluator(Fixtures.CONFIG.withMiaShadowSize(300));
      assertThat(reused).isEqualTo(fresh.measure(model, after, false));
      assertThat(otherModel).isEqualTo(fresh.measure(other, after, false));
      assertThat(otherModel.heldOutMia()).isNotEqualTo(reused.heldOutMia());
    }
  }

  @Test
  void aRetainRowThatWasNotPredictedIsRefused() {
    try (Classifier model = trained()) {
      EvaluationSets sets = forgettingFirst(10).withRetainSample(100, 7);
      EvaluationPredictions known = evaluator.predictions(model, sets);

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> known.forRetainRows(new int[] {sets.forgetRows()[0]}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not predicted");
    }
  }

  @Test
  void aPartOutsideTheForgetSetIsRefused() {
    try (Classifier model = trained()) {
      EvaluationSets sets = forgettingFirst(10);
      int notForgotten = sets.retainRows()[0];

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> evaluator.measure(model, sets, new int[] {notForgotten}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a forget row");
    }
  }
}
