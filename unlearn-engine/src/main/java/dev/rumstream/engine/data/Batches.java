package dev.rumstream.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Splitting row lists into minibatches, with a seeded shuffle per epoch. */
public final class Batches {

  private Batches() {}

  /** Consecutive slices of at most {@code batchSize} rows; the last one may be smaller. */
  public static List<int[]> of(int[] rows, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive");
    }
    List<int[]> out = new ArrayList<>((rows.length + batchSize - 1) / batchSize);
    for (int start = 0; start < rows.length; start += batchSize) {
      out.add(Arrays.copyOfRange(rows, start, Math.min(rows.length, start + batchSize)));
    }
    return out;
  }

  /** A shuffled copy (Fisher-Yates), reproducible for a given {@code random} state. */
  public static int[] shuffled(int[] rows, Random random) {
    int[] copy = rows.clone();
    for (int i = copy.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
    }
    return copy;
  }
}
