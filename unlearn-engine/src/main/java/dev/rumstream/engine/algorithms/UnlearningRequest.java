package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One unlearning step's inputs besides the model.
 *
 * @param train the model's training data (ids address it)
 * @param forgetIds the examples to forget now
 * @param deletedBefore everything deleted from this model by earlier steps; never part of any
 *     retain set
 * @param original θo, for SalUn's mask (from θo by default, as the paper's code); not modified
 */
public record UnlearningRequest(
    ImageDataset train,
    long[] forgetIds,
    DeletionLedger deletedBefore,
    Optional<Classifier> original) {

  public UnlearningRequest {
    Objects.requireNonNull(train);
    Objects.requireNonNull(deletedBefore);
    Objects.requireNonNull(original);
    forgetIds = Arrays.stream(forgetIds).distinct().sorted().toArray();
    for (long id : forgetIds) {
      train.rowOf(id);
    }
  }

  /**
   * Everything no retain set of this step may contain: earlier deletions plus this step's forget
   * set.
   */
  public DeletionLedger deletedAfter() {
    return deletedBefore.plus(forgetIds);
  }

  int[] forgetRows() {
    return Arrays.stream(forgetIds).mapToInt(train::rowOf).toArray();
  }
}
