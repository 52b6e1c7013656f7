package dev.rumstream.worker;

import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.worker.store.DeletedIds;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The retain examples every version of a model is measured on: one seeded sample of the training
 * set, drawn once, minus the examples deleted so far. A sample drawn afresh from what remains after
 * each deletion would differ entirely from one version to the next, and so would the accuracies the
 * promotion gate compares. Drawn on first use; the worker's training set never changes.
 */
final class EvaluationSample {
  private final int size;
  private final long seed;
  private int[] rows;

  /**
   * @param size how many training examples the sample holds (0: all of them)
   */
  EvaluationSample(int size, long seed) {
    this.size = size;
    this.seed = seed;
  }

  /** The sample's rows of {@code train} not in {@code excluded}, sorted. */
  int[] retainRows(ImageDataset train, DeletedIds excluded) {
    return Arrays.stream(rows(train.size()))
        .filter(row -> !excluded.contains(train.id(row)))
        .toArray();
  }

  private int[] rows(int trainSize) {
    if (rows == null) {
      int[] all = IntStream.range(0, trainSize).toArray();
      if (size <= 0 || size >= trainSize) {
        rows = all;
      } else {
        int[] sample = Arrays.copyOf(Batches.shuffled(all, new Random(seed)), size);
        Arrays.sort(sample);
        rows = sample;
      }
    }
    return rows;
  }
}
