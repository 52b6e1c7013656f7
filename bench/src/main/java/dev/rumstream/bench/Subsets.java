package dev.rumstream.bench;

import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;
import java.util.Random;

/**
 * The fixed random subsets the Fashion-MNIST benchmarks draw: one seeded shuffle of a split, cut
 * into consecutive slices, so the quality benchmark's training subset and the proxy-fidelity
 * benchmark's are the same for the same seed (and the latter's held-out images follow it).
 */
final class Subsets {

  private Subsets() {}

  /** Every row of {@code data} in the order of the seed's shuffle. */
  static int[] shuffled(ImageDataset data, long seed) {
    return Batches.shuffled(data.allRows(), new Random(seed));
  }

  /** {@code count} rows of {@code order} from {@code from}, sorted. */
  static int[] slice(int[] order, int from, int count) {
    int[] out = Arrays.copyOfRange(order, from, from + count);
    Arrays.sort(out);
    return out;
  }

  /** The first {@code count} of the seed's shuffle, named {@code prefix-count}. */
  static ImageDataset first(ImageDataset data, long seed, int count, String prefix) {
    return data.subset(prefix + "-" + count, slice(shuffled(data, seed), 0, count));
  }
}
