package dev.rumstream.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

  @Test
  void fiveHundredTrainingStepsLeaveTheModelManagersArrayCountUnchanged() {
    ImageDataset data = Fixtures.synthetic("synthetic", 512, 4, 0, 5);
    try (Classifier model = Classifier.create(ModelSpec.smallCnn(data), Device.cpu(), 1);
        Sgd sgd = new Sgd(model.trainableParameters(), 0.01, 0.9, 5e-4)) {
      int[] batch = Arrays.copyOf(data.allRows(), 16);
      Steps.descend(sgd, () -> Losses.crossEntropy(model, data, batch));
      int before = model.nativeArrayCount();
      for (int step = 0; step < 500; step++) {
        int[] rows = Arrays.copyOfRange(data.allRows(), (step * 16) % 512, (step * 16) % 512 + 16);
        Steps.descend(sgd, () -> Losses.crossEntropy(model, data, rows));
      }
      assertThat(model.nativeArrayCount()).isEqualTo(before);
    }
  }
}
