package dev.rumstream.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTest {

  private static final ImageDataset DATA = Fixtures.synthetic("synthetic", 8, 4, 0, 1);

  @Test
  void theSmallCnnGivesLogitsAndItsPenultimateEmbedding() {
    try (Classifier model = Classifier.create(ModelSpec.smallCnn(DATA), Device.cpu(), 1);
        NDManager manager = model.manager().newSubManager()) {
      NDArray images = DATA.images(manager, DATA.allRows());
      assertThat(model.logits(images, false).getShape().getShape()).containsExactly(8, 4);
      assertThat(model.embedding(images).getShape().getShape()).containsExactly(8, 128);
      assertThat(model.embeddingSize()).isEqualTo(128);
    }
  }

  @Test
  void theResNet18HasFourStagesOfTwoBasicBlocksAndAConfigurableWidth() {
    try (Classifier model = Classifier.create(ModelSpec.resnet18(DATA, 4), Device.cpu(), 1);
        NDManager manager = model.manager().newSubManager()) {
      NDArray images = DATA.images(manager, DATA.allRows());
      assertThat(model.logits(images, true).getShape().getShape()).containsExactly(8, 4);
      assertThat(model.embedding(images).getShape().getShape()).containsExactly(8, 32);
      // 1 stem conv + 8 blocks x 2 convs + 3 projection shortcuts = 20 convolutions, + the linear
      // head.
      long convs = model.parameterNames().stream().filter(n -> n.endsWith("Conv2d_weight")).count();
      assertThat(convs).isEqualTo(20);
      try (Classifier wider = Classifier.create(ModelSpec.resnet18(DATA, 8), Device.cpu(), 1)) {
        assertThat(wider.trainableParameterCount())
            .isGreaterThan(3 * model.trainableParameterCount());
      }
    }
  }

  @Test
  void aCopyHasEqualButIndependentParameters() {
    try (Classifier model = Classifier.create(ModelSpec.smallCnn(DATA), Device.cpu(), 1);
        Classifier copy = model.copy()) {
      List<float[]> a = Fixtures.snapshot(model);
      List<float[]> b = Fixtures.snapshot(copy);
      for (int i = 0; i < a.size(); i++) {
        assertThat(Arrays.equals(a.get(i), b.get(i))).isTrue();
      }
      copy.trainableParameters().get(0).getArray().addi(1f);
      assertThat(Arrays.equals(Fixtures.snapshot(model).get(0), a.get(0))).isTrue();
    }
  }

  @Test
  void deviceSelectionFallsBackToTheCpuWithoutAGpu() {
    Device device = Devices.select(EngineConfig.DevicePreference.AUTO);
    assertThat(device)
        .isEqualTo(
            ai.djl.engine.Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu());
    assertThat(Devices.select(EngineConfig.DevicePreference.CPU)).isEqualTo(Device.cpu());
    assertThat(Devices.label(Device.cpu())).isEqualTo("cpu");
  }
}
