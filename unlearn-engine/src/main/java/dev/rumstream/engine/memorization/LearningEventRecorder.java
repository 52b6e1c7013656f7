package dev.rumstream.engine.memorization;

import ai.djl.ndarray.NDArray;
import dev.rumstream.engine.data.ImageDataset;

/**
 * Accumulates the learning-event proxies of one training run: per example, running sums of
 * true-class confidence, max confidence, negative entropy and correctness, read from the logits of
 * the forward pass each update uses (train mode, before the update). O(N) doubles; not thread-safe
 * (training runs on one thread).
 */
public final class LearningEventRecorder {

  /** Clamp before the log so a saturated softmax gives 0·log 0 = 0 instead of NaN. */
  private static final float MIN_PROBABILITY = 1e-12f;

  private final ImageDataset data;
  private final double[] confidence;
  private final double[] maxConfidence;
  private final double[] negativeEntropy;
  private final double[] correct;
  private final int[] count;
  private int lastEpoch = -1;

  public LearningEventRecorder(ImageDataset data) {
    this.data = data;
    int n = data.size();
    confidence = new double[n];
    maxConfidence = new double[n];
    negativeEntropy = new double[n];
    correct = new double[n];
    count = new int[n];
  }

  /** Records one minibatch from its (train-mode) logits; call outside the gradient collector. */
  public void record(int[] rows, NDArray logits, int[] labels, int epoch) {
    NDArray probabilities = logits.softmax(1);
    float[] p = probabilities.toFloatArray();
    float[] logP = probabilities.clip(MIN_PROBABILITY, 1f).log().toFloatArray();
    int k = (int) logits.getShape().get(1);
    for (int i = 0; i < rows.length; i++) {
      int row = rows[i];
      int base = i * k;
      float max = -1f;
      int argMax = 0;
      double negEnt = 0;
      for (int c = 0; c < k; c++) {
        float pc = p[base + c];
        negEnt += pc * logP[base + c];
        if (pc > max) {
          max = pc;
          argMax = c;
        }
      }
      confidence[row] += p[base + labels[i]];
      maxConfidence[row] += max;
      negativeEntropy[row] += negEnt;
      correct[row] += argMax == labels[i] ? 1.0 : 0.0;
      count[row]++;
    }
    lastEpoch = Math.max(lastEpoch, epoch);
  }

  /**
   * The running means so far; examples never seen get NaN (the caller decides, e.g. "unscored").
   */
  public LearningEventProxies snapshot() {
    int n = data.size();
    double[][] means = new double[4][n];
    for (int row = 0; row < n; row++) {
      double c = count[row];
      means[0][row] = confidence[row] / c;
      means[1][row] = maxConfidence[row] / c;
      means[2][row] = negativeEntropy[row] / c;
      means[3][row] = correct[row] / c;
    }
    return new LearningEventProxies(
        data.ids(data.allRows()), means[0], means[1], means[2], means[3], count.clone(), lastEpoch);
  }
}
