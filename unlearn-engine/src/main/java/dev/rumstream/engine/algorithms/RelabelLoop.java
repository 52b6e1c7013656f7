package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.EpochProgress;
import dev.rumstream.engine.train.Losses;
import dev.rumstream.engine.train.Sgd;
import dev.rumstream.engine.train.Steps;
import java.util.Random;

/**
 * Random-label's loop, shared with SalUn: each epoch the forget set gets fresh uniform random
 * labels, is concatenated with the retain set (true labels), shuffled, and trained on with plain
 * cross-entropy.
 */
final class RelabelLoop {

  private RelabelLoop() {}

  static void run(
      IterativeUnlearner owner,
      Classifier model,
      ImageDataset train,
      int[] forgetRows,
      int[] retainRows,
      boolean excludeTrueLabel,
      Sgd sgd) {
    CommonParams common = owner.common;
    int k = train.numClasses();
    int n = forgetRows.length + retainRows.length;
    int[] unionRows = new int[n];
    System.arraycopy(forgetRows, 0, unionRows, 0, forgetRows.length);
    System.arraycopy(retainRows, 0, unionRows, forgetRows.length, retainRows.length);
    int[] positions = java.util.stream.IntStream.range(0, n).toArray();
    for (int epoch = 0; epoch < common.epochs(); epoch++) {
      Random random = new Random(common.seed() * 31L + epoch);
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        int truth = train.label(unionRows[i]);
        if (i >= forgetRows.length) {
          labels[i] = truth;
        } else if (excludeTrueLabel) {
          int drawn = random.nextInt(k - 1);
          labels[i] = drawn >= truth ? drawn + 1 : drawn;
        } else {
          labels[i] = random.nextInt(k);
        }
      }
      var batches = Batches.of(Batches.shuffled(positions, random), common.batchSize());
      try (EpochProgress progress = owner.progress(epoch, batches.size())) {
        for (int[] batch : batches) {
          int[] rows = new int[batch.length];
          int[] y = new int[batch.length];
          for (int i = 0; i < batch.length; i++) {
            rows[i] = unionRows[batch[i]];
            y[i] = labels[batch[i]];
          }
          progress.step(
              Steps.descend(
                  sgd,
                  () ->
                      Losses.crossEntropy(
                          model.logits(train.images(model.manager(), rows), true),
                          model.manager().create(y))));
        }
      }
    }
  }
}
