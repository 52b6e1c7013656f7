package dev.rumstream.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.Inference;
import dev.rumstream.engine.memorization.LearningEventProxies;
import dev.rumstream.engine.memorization.LearningEventRecorder;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {

  private static ImageDataset train;
  private static ImageDataset test;

  @BeforeAll
  static void load() {
    DatasetSplits splits = Fixtures.fashionSubset(2_000, 1_000, 11);
    train = splits.train();
    test = splits.test();
  }

  @Test
  void trainingLearnsAndRecordsLearningEventProxiesForEveryExampleEveryEpoch() {
    LearningEventRecorder recorder = new LearningEventRecorder(train);
    try (Classifier model = Classifier.create(ModelSpec.smallCnn(train), Device.cpu(), 3)) {
      TrainingRun run =
          new ModelTrainer(Fixtures.CONFIG)
              .train(
                  model,
                  train,
                  train.allRows(),
                  TrainingRecipe.paper(3, 3).withLearningRate(0.1),
                  Optional.of(recorder));

      assertThat(run.epochLoss().get(2)).isLessThan(run.epochLoss().get(0));
      assertThat(new Inference(512).accuracy(model, test, test.allRows())).isGreaterThan(0.7);
    }
    LearningEventProxies proxies = recorder.snapshot();
    assertThat(proxies.observations()).containsOnly(3);
    assertThat(proxies.lastEpoch()).isEqualTo(2);
    for (int i = 0; i < train.size(); i++) {
      assertThat(proxies.meanConfidence()[i])
          .isBetween(0.0, 1.0)
          .isLessThanOrEqualTo(proxies.meanMaxConfidence()[i]);
      assertThat(proxies.meanMaxConfidence()[i])
          .isGreaterThanOrEqualTo(1.0 / train.numClasses() - 1e-9);
      assertThat(proxies.meanNegativeEntropy()[i])
          .isBetween(-Math.log(train.numClasses()) - 1e-6, 1e-9);
      assertThat(proxies.meanAccuracy()[i]).isIn(0.0, 1.0 / 3, 2.0 / 3, 1.0);
    }
    // Learning events and confidence must agree on average: examples always right are more
    // confident.
    double confRight = 0;
    double confWrong = 0;
    int right = 0;
    int wrong = 0;
    for (int i = 0; i < train.size(); i++) {
      if (proxies.meanAccuracy()[i] == 1.0) {
        confRight += proxies.meanConfidence()[i];
        right++;
      } else if (proxies.meanAccuracy()[i] == 0.0) {
        confWrong += proxies.meanConfidence()[i];
        wrong++;
      }
    }
    assertThat(right).isPositive();
    assertThat(wrong).isPositive();
    assertThat(confRight / right).isGreaterThan(confWrong / wrong + 0.3);
  }

  @Test
  void sameSeedGivesBitIdenticalParametersOnCpu() {
    try (Classifier a = Fixtures.trainSmallCnn(train, 1, 0.1, 21);
        Classifier b = Fixtures.trainSmallCnn(train, 1, 0.1, 21);
        Classifier c = Fixtures.trainSmallCnn(train, 1, 0.1, 22)) {
      List<float[]> pa = Fixtures.snapshot(a);
      List<float[]> pb = Fixtures.snapshot(b);
      List<float[]> pc = Fixtures.snapshot(c);
      for (int i = 0; i < pa.size(); i++) {
        assertThat(java.util.Arrays.equals(pa.get(i), pb.get(i))).as("parameter %d", i).isTrue();
      }
      boolean anyDifferent = false;
      for (int i = 0; i < pa.size(); i++) {
        anyDifferent |= !java.util.Arrays.equals(pa.get(i), pc.get(i));
      }
      assertThat(anyDifferent).as("another seed gives another model").isTrue();
    }
  }
}
