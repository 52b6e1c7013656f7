package dev.rumstream.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.Inference;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

  private static ImageDataset data;

  @TempDir Path dir;

  @BeforeAll
  static void data() {
    data = Fixtures.synthetic("synthetic", 300, 4, 0, 2);
  }

  private static Classifier trained() {
    Classifier model = Fixtures.trainSmallCnn(data, 1, 0.1, 4);
    return model;
  }

  @Test
  void roundTripRestoresEveryParameterAndThePredictions() throws IOException {
    try (Classifier model = trained()) {
      Path file = dir.resolve("model.params");
      String checksum = ModelFiles.save(model, file);
      assertThat(checksum).hasSize(64).isEqualTo(ModelFiles.checksum(file));
      try (Classifier loaded = ModelFiles.load(file, Device.cpu())) {
        assertThat(loaded.spec()).isEqualTo(model.spec());
        List<float[]> a = Fixtures.snapshot(model);
        List<float[]> b = Fixtures.snapshot(loaded);
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
          assertThat(Arrays.equals(a.get(i), b.get(i))).as("parameter %d", i).isTrue();
        }
        Inference inference = new Inference(128);
        assertThat(inference.probabilities(loaded, data, data.allRows()))
            .containsExactly(inference.probabilities(model, data, data.allRows()));
      }
    }
  }

  @Test
  void aFlippedByteIsRefusedAsCorrupted() throws IOException {
    Path file = savedModel();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    assertRefused(file, bytes, "corrupted");
  }

  @Test
  void aTruncatedFileIsRefused() throws IOException {
    Path file = savedModel();
    byte[] bytes = Files.readAllBytes(file);
    assertRefused(file, Arrays.copyOf(bytes, bytes.length - 100), "truncated");
    assertRefused(file, Arrays.copyOf(bytes, 10), "truncated");
  }

  @Test
  void aForeignFileIsRefused() throws IOException {
    Path file = dir.resolve("foreign.params");
    assertRefused(
        file,
        "this is not a model, but it is long enough to have a header of sorts"
            .getBytes(StandardCharsets.UTF_8),
        "not a rumstream parameter file");
  }

  @Test
  void aLoadedResNetKeepsItsArchitecture() throws IOException {
    try (Classifier model = Classifier.create(ModelSpec.resnet18(data, 4), Device.cpu(), 9)) {
      Path file = dir.resolve("resnet.params");
      ModelFiles.save(model, file);
      try (Classifier loaded = ModelFiles.load(file, Device.cpu())) {
        assertThat(loaded.spec()).isEqualTo(model.spec());
        assertThat(loaded.trainableParameterCount()).isEqualTo(model.trainableParameterCount());
      }
    }
  }

  /** A trained model's parameter file. */
  private Path savedModel() throws IOException {
    Path file = dir.resolve("model.params");
    try (Classifier model = trained()) {
      ModelFiles.save(model, file);
    }
    return file;
  }

  /** Writes {@code content} to {@code file} and expects loading it to fail with {@code why}. */
  private static void assertRefused(Path file, byte[] content, String why) throws IOException {
    Files.write(file, content);
    assertThatThrownBy(() -> ModelFiles.load(file, Device.cpu()))
        .isInstanceOf(CorruptModelFileException.class)
        .hasMessageContaining(why);
  }
}
