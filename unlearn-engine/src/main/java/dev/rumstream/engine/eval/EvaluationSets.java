package dev.rumstream.engine.eval;

import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;

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
}
