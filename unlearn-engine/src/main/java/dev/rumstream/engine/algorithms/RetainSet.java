package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;
import java.util.Random;

/**
 * The retain set of a step: the training data minus everything deleted so far, optionally
 * subsampled.
 */
public final class RetainSet {

  private RetainSet() {}

  /**
   * Rows of {@code train} whose id is not in {@code excluded}; with {@code fraction < 1} or {@code
   * count > 0} a uniform sample without replacement (seeded, drawn once per step and kept for all
   * its epochs), in row order.
   */
  public static int[] rows(
      ImageDataset train, DeletionLedger excluded, double fraction, int count, long seed) {
    int[] all = train.rowsExcept(excluded.copy());
    int keep = (int) Math.round(all.length * fraction);
    if (count > 0) {
      keep = Math.min(keep, count);
    }
    if (keep >= all.length) {
      return all;
    }
    int[] sample = Arrays.copyOf(Batches.shuffled(all, new Random(seed ^ 0x5DEECE66DL)), keep);
    Arrays.sort(sample);
    return sample;
  }
}
