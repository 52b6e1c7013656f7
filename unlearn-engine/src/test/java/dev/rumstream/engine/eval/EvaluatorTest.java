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
}
