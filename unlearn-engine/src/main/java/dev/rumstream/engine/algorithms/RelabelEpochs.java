package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDArray;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Losses;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Random-label's epochs, shared with SalUn: each epoch the forget set gets fresh uniform random
 * labels, is concatenated with the retain set (true labels), shuffled, and trained on with plain
 * cross-entropy.
 */
final class RelabelEpochs implements IterativeUnlearner.Epoch {

  private final CommonParams common;
  private final Classifier model;
  private final ImageDataset train;
  private final int forgetCount;
  private final int[] unionRows;
  private final boolean excludeTrueLabel;

  RelabelEpochs(
      CommonParams common,
      Classifier model,
      ImageDataset train,
      int[] forgetRows,
      int[] retainRows,
      boolean excludeTrueLabel) {
    this.common = common;
    this.model = model;
    this.train = train;
    this.forgetCount = forgetRows.length;
    this.unionRows = new int[forgetRows.length + retainRows.length];
    System.arraycopy(forgetRows, 0, unionRows, 0, forgetRows.length);
    System.arraycopy(retainRows, 0, unionRows, forgetRows.length, retainRows.length);
    this.excludeTrueLabel = excludeTrueLabel;
  }

  @Override
  public List<Supplier<NDArray>> steps(int epoch) {
    // One generator per epoch draws the labels first, then the shuffle: the order is part of the
    // reproducible result.
    Random random = new Random(common.seed() * 31L + epoch);
    int[] labels = labels(random);
    int[] positions = IntStream.range(0, unionRows.length).toArray();
    return Batches.of(Batches.shuffled(positions, random), common.batchSize()).stream()
        .<Supplier<NDArray>>map(batch -> () -> loss(batch, labels))
        .toList();
  }

  private int[] labels(Random random) {
    int k = train.numClasses();
    int[] labels = new int[unionRows.length];
    for (int i = 0; i < unionRows.length; i++) {
      int truth = train.label(unionRows[i]);
      if (i >= forgetCount) {
        labels[i] = truth;
      } else if (excludeTrueLabel) {
        int drawn = random.nextInt(k - 1);
        labels[i] = drawn >= truth ? drawn + 1 : drawn;
      } else {
        labels[i] = random.nextInt(k);
      }
    }
    return labels;
  }

  private NDArray loss(int[] batch, int[] labels) {
    int[] rows = new int[batch.length];
    int[] y = new int[batch.length];
    for (int i = 0; i < batch.length; i++) {
      rows[i] = unionRows[batch[i]];
      y[i] = labels[batch[i]];
    }
    return Losses.crossEntropy(
        model.logits(train.images(model.manager(), rows), true), model.manager().create(y));
  }
}
