package dev.rumstream.engine.eval;

import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;
import java.util.Random;

/**
 * What a model is judged on: the forget set S, the retain set R = D_train minus everything deleted
 * so far (S included), and D_test.
 */
public record EvaluationSets(
    ImageDataset train, ImageDataset test, int[] forgetRows, int[] retainRows) {

  public static EvaluationSets of(
      ImageDataset train, ImageDataset test, long[] forgetIds, DeletionLedger deletedSoFar) {
    DeletionLedger excluded = deletedSoFar.plus(forgetIds);
    int[] forget = Arrays.stream(forgetIds).distinct().sorted().mapToInt(train::rowOf).toArray();
    return new EvaluationSets(train, test, forget, train.rowsExcept(excluded.copy()));
  }

  /**
   * The same sets with R cut to a seeded random sample of {@code size} rows, sorted (the MIA's
   * shadow members are its first rows); unchanged when {@code size} is 0 or R is not larger.
   */
  public EvaluationSets withRetainSample(int size, long seed) {
    if (size <= 0 || size >= retainRows.length) {
      return this;
    }
    int[] sample = Arrays.copyOf(Batches.shuffled(retainRows, new Random(seed)), size);
    Arrays.sort(sample);
    return new EvaluationSets(train, test, forgetRows, sample);
  }
}
