package dev.rumstream.bench.rum;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Small data for the RUM tests (the engine's test fixtures are not published to other modules).
 * Fashion-MNIST must be installed: a missing package fails the test.
 */
final class TestData {

  static final EngineConfig CONFIG = EngineConfig.defaults().withMiaShadowSize(1_000);

  private TestData() {}

  /** A seeded random subset of Fashion-MNIST's shipped splits (ids kept). */
  static DatasetSplits fashionSubset(int trainSize, int testSize, long seed) {
    DatasetSplits full = FashionMnist.load(FashionMnist.DEBIAN_DIR, HeldOut.NONE);
    return new DatasetSplits(
        sample(full.train(), trainSize, seed),
        sample(full.test(), testSize, seed + 1),
        Optional.empty());
  }

  private static ImageDataset sample(ImageDataset data, int size, long seed) {
    int[] rows = Arrays.copyOf(Batches.shuffled(data.allRows(), new Random(seed)), size);
    Arrays.sort(rows);
    return data.subset(data.name() + "-" + size, rows);
  }

  /** Synthetic separable data: class c has a bright c-th horizontal band plus noise. */
  static ImageDataset synthetic(String name, int n, int classes, long firstId, long seed) {
    int side = 12;
    Random random = new Random(seed);
    float[] pixels = new float[n * side * side];
    long[] ids = new long[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = firstId + i;
      labels[i] = random.nextInt(classes);
      for (int p = 0; p < side * side; p++) {
        int band = (p / side) * classes / side;
        pixels[i * side * side + p] =
            (band == labels[i] ? 0.8f : 0.1f) + 0.1f * (float) random.nextGaussian();
      }
    }
    List<String> names = IntStream.range(0, classes).mapToObj(c -> "c" + c).toList();
    return new ImageDataset(name, 1, side, side, names, ids, labels, pixels);
  }
}
