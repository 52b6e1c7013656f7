package dev.rumstream.worker;

import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;

/**
 * The examples every version of a model is measured on: one seeded sample of the training set,
 * drawn once, minus the examples deleted so far, and one seeded sample of the test set. A sample
 * drawn afresh from what remains after each deletion would differ entirely from one version to the
 * next, and so would the accuracies the promotion gate compares. Drawn on first use; the worker's
 * data never change.
 */
final class EvaluationSample {
  private final int retainSize;
  private final int testSize;
  private final long seed;
  private int[] retainRows;
  private ImageDataset testSet;

  /**
   * @param retainSize how many training examples the retain sample holds (0: all of them)
   * @param testSize how many test examples the test sample holds (0: all of them)
   */
  EvaluationSample(int retainSize, int testSize, long seed) {
    this.retainSize = retainSize;
    this.testSize = testSize;
    this.seed = seed;
  }

  /** The sample's rows of {@code train} whose ids are not {@code excluded}, sorted. */
  int[] retainRows(ImageDataset train, LongPredicate excluded) {
    if (retainRows == null) {
      retainRows = sample(train.size(), retainSize, seed);
    }
    return Arrays.stream(retainRows).filter(row -> !excluded.test(train.id(row))).toArray();
  }

  /** The test sample as a dataset of its own (the whole test set when it is not larger). */
  ImageDataset testSet(ImageDataset test) {
    if (testSet == null) {
      testSet =
          testSize <= 0 || testSize >= test.size()
              ? test
              : test.subset(test.name() + "-eval", sample(test.size(), testSize, seed + 1));
    }
    return testSet;
  }

  /** {@code size} of the rows 0 to {@code total - 1}, seeded, sorted (all of them for 0). */
  private static int[] sample(int total, int size, long seed) {
    int[] all = IntStream.range(0, total).toArray();
    if (size <= 0 || size >= total) {
      return all;
    }
    int[] sample = Arrays.copyOf(Batches.shuffled(all, new Random(seed)), size);
    Arrays.sort(sample);
    return sample;
  }
}
