package dev.rumstream.engine.memorization;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.Inference;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.LearningRateSchedule;
import dev.rumstream.engine.train.ModelTrainer;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class HoldoutRetrainingTest {

  @Test
  void mislabelledTrainingExamplesScoreHigherThanCleanOnes() {
    ImageDataset clean = Fixtures.synthetic("synthetic", 400, 4, 0, 3);
    int[] labels = clean.labels(clean.allRows());
    // The first 30 examples get a wrong label: the model can only get them "right" by memorizing
    // them.
    for (int i = 0; i < 30; i++) {
      labels[i] = (labels[i] + 1) % 4;
    }
    ImageDataset noisy = clean.withLabels("noisy", labels);
    ImageDataset heldOut = Fixtures.synthetic("held-out", 200, 4, 10_000, 4);

    try (Classifier original = Classifier.create(ModelSpec.smallCnn(noisy), Device.cpu(), 5)) {
      // Small batches and many steps: enough for the network to memorize the wrong labels.
      new ModelTrainer(Fixtures.CONFIG)
          .train(
              original,
              noisy,
              noisy.allRows(),
              new TrainingRecipe(40, 0.05, 0.9, 5e-4, 32, LearningRateSchedule.CONSTANT, 5),
              Optional.empty());
      assertThat(new Inference(256).accuracy(original, noisy, Arrays.copyOf(noisy.allRows(), 30)))
          .as("the mislabelled examples are memorized")
          .isGreaterThan(0.8);
      MemorizationScores scores =
          new HoldoutRetraining(new Inference(256))
              .scores(original, heldOut, noisy, new HoldoutRetraining.Recipe(0.05, 10, 4, 64, 1));

      assertThat(scores.kind()).isEqualTo(ProxyKind.HOLDOUT_RETRAINING);
      assertThat(scores.size()).isEqualTo(400);
      assertThat(Arrays.stream(scores.values()).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
      double mislabelled = Arrays.stream(scores.values(), 0, 30).average().orElseThrow();
      double rest = Arrays.stream(scores.values(), 30, 400).average().orElseThrow();
      assertThat(mislabelled).isGreaterThan(2 * rest);
      // The most memorized third of these six ids (ties by id) holds a mislabelled one.
      Map<Long, Double> byId = scores.asMap();
      List<Long> ranked =
          LongStream.of(0, 1, 2, 100, 101, 102)
              .boxed()
              .sorted(
                  Comparator.<Long>comparingDouble(byId::get).thenComparingLong(Long::longValue))
              .toList();
      assertThat(ranked.subList(4, 6)).containsAnyOf(0L, 1L, 2L);
    }
  }
}
