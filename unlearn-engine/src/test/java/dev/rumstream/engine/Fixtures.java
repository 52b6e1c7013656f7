package dev.rumstream.engine;

import ai.djl.Device;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.ModelTrainer;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Small real data and models for tests. Fashion-MNIST must be installed: a missing package fails
 * the test.
 */
public final class Fixtures {

  public static final EngineConfig CONFIG = EngineConfig.defaults().withMiaShadowSize(1_000);

  private Fixtures() {}

  /** A seeded random subset of Fashion-MNIST's shipped splits (ids kept). */
  public static DatasetSplits fashionSubset(int trainSize, int testSize, long seed) {
    DatasetSplits full = FashionMnist.load(FashionMnist.DEBIAN_DIR, HeldOut.NONE);
    return new DatasetSplits(
        sample(full.train(), trainSize, seed),
        sample(full.test(), testSize, seed + 1),
        Optional.empty());
  }

  public static ImageDataset sample(ImageDataset data, int size, long seed) {
    int[] rows = Arrays.copyOf(Batches.shuffled(data.allRows(), new Random(seed)), size);
    Arrays.sort(rows);
    return data.subset(data.name() + "-" + size, rows);
  }

  public static Classifier trainSmallCnn(ImageDataset train, int epochs, double lr, long seed) {
    Classifier model = Classifier.create(ModelSpec.smallCnn(train), Device.cpu(), seed);
    new ModelTrainer(CONFIG)
        .train(
            model,
            train,
            train.allRows(),
            TrainingRecipe.paper(epochs, seed).withLearningRate(lr),
            Optional.empty());
    return model;
  }

  /** Every parameter value, running statistics included, flattened per parameter. */
  public static List<float[]> snapshot(Classifier model) {
    return model.parameters().stream().map(p -> p.getArray().toFloatArray()).toList();
  }

  public static List<float[]> trainableSnapshot(Classifier model) {
    return model.trainableParameters().stream().map(p -> p.getArray().toFloatArray()).toList();
  }

  /** Synthetic separable data: class c has a bright c-th horizontal band plus noise. */
  public static ImageDataset synthetic(String name, int n, int classes, long firstId, long seed) {
    int h = 12;
    int w = 12;
    Random random = new Random(seed);
    float[] pixels = new float[n * h * w];
    long[] ids = new long[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = firstId + i;
      labels[i] = random.nextInt(classes);
      for (int p = 0; p < h * w; p++) {
        int band = (p / w) * classes / h;
        pixels[i * h * w + p] =
            (band == labels[i] ? 0.8f : 0.1f) + 0.1f * (float) random.nextGaussian();
      }
    }
    List<String> names =
        java.util.stream.IntStream.range(0, classes).mapToObj(c -> "c" + c).toList();
    return new ImageDataset(name, 1, h, w, names, ids, labels, pixels);
  }
}
