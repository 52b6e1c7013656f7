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

  @Test
  void measuringPredictsEachExampleOnceAndAgreesWithTheSeparatePasses() {
    DatasetSplits splits = Fixtures.fashionSubset(1_500, 500, 23);
    Evaluator evaluator = new Evaluator(Fixtures.CONFIG);
    try (Classifier model = Fixtures.trainSmallCnn(splits.train(), 1, 0.1, 5)) {
      long[] forget = Arrays.copyOf(splits.train().ids(splits.train().allRows()), 60);
      EvaluationSets sets =
          EvaluationSets.of(splits.train(), splits.test(), forget, DeletionLedger.empty());

      Measurement measured = evaluator.measure(model, sets, false);

      assertThat(measured.accuracies()).isEqualTo(evaluator.accuracies(model, sets));
      assertThat(measured.mia()).isEqualTo(evaluator.mia(model, sets));
      assertThat(measured.accuracies().test()).isBetween(0.5, 1.0);
      assertThat(measured.entanglement()).isEmpty();
    }
  }

  @Test
  void eachPartOfTheForgetSetIsMeasuredOnItsOwnWithTheSameAttack() {
    DatasetSplits splits = Fixtures.fashionSubset(1_500, 500, 23);
    Evaluator evaluator = new Evaluator(Fixtures.CONFIG);
    try (Classifier model = Fixtures.trainSmallCnn(splits.train(), 1, 0.1, 5)) {
      long[] forget = Arrays.copyOf(splits.train().ids(splits.train().allRows()), 90);
      EvaluationSets sets =
          EvaluationSets.of(splits.train(), splits.test(), forget, DeletionLedger.empty());
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
  void aPartOutsideTheForgetSetIsRefused() {
    DatasetSplits splits = Fixtures.fashionSubset(1_500, 500, 23);
    Evaluator evaluator = new Evaluator(Fixtures.CONFIG);
    try (Classifier model = Fixtures.trainSmallCnn(splits.train(), 1, 0.1, 5)) {
      long[] forget = Arrays.copyOf(splits.train().ids(splits.train().allRows()), 10);
      EvaluationSets sets =
          EvaluationSets.of(splits.train(), splits.test(), forget, DeletionLedger.empty());
      int notForgotten = sets.retainRows()[0];

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> evaluator.measure(model, sets, new int[] {notForgotten}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a forget row");
    }
  }
}
