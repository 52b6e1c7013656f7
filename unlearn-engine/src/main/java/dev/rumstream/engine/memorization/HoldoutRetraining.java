package dev.rumstream.engine.memorization;

import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.Inference;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Losses;
import dev.rumstream.engine.train.Sgd;
import dev.rumstream.engine.train.Steps;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holdout-retraining proxy: fine-tune a copy of θo on held-out data (never the test set), then
 * score every training example by the symmetric KL between the two models' eval-mode softmax
 * outputs. Higher = more memorized.
 */
public final class HoldoutRetraining {

  private static final Logger LOG = LoggerFactory.getLogger(HoldoutRetraining.class);
  private static final double MIN_PROBABILITY = 1e-10;

  /**
   * The paper code's recipe: SGD lr 0.1, momentum 0.9, wd 5e-4, ≤ 30 epochs, early stop after 4
   * without improvement.
   */
  public record Recipe(double learningRate, int maxEpochs, int patience, int batchSize, long seed) {
    public static Recipe paper(long seed) {
      return new Recipe(0.1, 30, 4, 256, seed);
    }
  }

  private final Inference inference;

  public HoldoutRetraining(Inference inference) {
    this.inference = inference;
  }

  public MemorizationScores scores(
      Classifier original, ImageDataset heldOut, ImageDataset train, Recipe recipe) {
    try (Classifier tuned = original.copy()) {
      fineTune(tuned, heldOut, recipe);
      int[] rows = train.allRows();
      int k = original.spec().numClasses();
      float[] p = inference.probabilities(original, train, rows);
      float[] q = inference.probabilities(tuned, train, rows);
      double[] score = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        double kl = 0;
        for (int c = 0; c < k; c++) {
          double pc = Math.max(p[i * k + c], MIN_PROBABILITY);
          double qc = Math.max(q[i * k + c], MIN_PROBABILITY);
          kl += pc * Math.log(pc / qc) + qc * Math.log(qc / pc);
        }
        score[i] = kl / 2.0;
      }
      return new MemorizationScores(ProxyKind.HOLDOUT_RETRAINING, train.ids(rows), score);
    }
  }

  private void fineTune(Classifier model, ImageDataset heldOut, Recipe recipe) {
    int[] rows = heldOut.allRows();
    double best = Double.POSITIVE_INFINITY;
    int sinceBest = 0;
    try (Sgd sgd = new Sgd(model.trainableParameters(), recipe.learningRate(), 0.9, 5e-4)) {
      for (int epoch = 0; epoch < recipe.maxEpochs() && sinceBest < recipe.patience(); epoch++) {
        double total = 0;
        List<int[]> batches =
            Batches.of(
                Batches.shuffled(rows, new Random(recipe.seed() + epoch)), recipe.batchSize());
        for (int[] batch : batches) {
          total += Steps.descend(sgd, () -> Losses.crossEntropy(model, heldOut, batch));
        }
        if (total < best) {
          best = total;
          sinceBest = 0;
        } else {
          sinceBest++;
        }
        LOG.debug("holdout fine-tune epoch {}: summed loss {}", epoch + 1, total);
      }
    }
  }
}
