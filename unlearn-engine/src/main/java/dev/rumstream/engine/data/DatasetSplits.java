package dev.rumstream.engine.data;

import java.util.Objects;
import java.util.Optional;

/**
 * The splits a model is trained and judged on: training data (the only split deletion requests
 * address), the test set, and an optional held-out split (for the holdout-retraining proxy, so the
 * test set never leaks into it).
 */
public record DatasetSplits(ImageDataset train, ImageDataset test, Optional<ImageDataset> heldOut) {

  public DatasetSplits {
    Objects.requireNonNull(train);
    Objects.requireNonNull(test);
    Objects.requireNonNull(heldOut);
    if (train.channels() != test.channels()
        || train.height() != test.height()
        || train.width() != test.width()
        || !train.classNames().equals(test.classNames())) {
      throw new IllegalArgumentException("train and test differ in image shape or classes");
    }
  }
}
