package dev.rumstream.engine.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;

/**
 * Eval-mode passes over a dataset (no augmentation, BatchNorm running statistics), batch by batch.
 */
public final class Inference {

  private final int batchSize;

  public Inference(int batchSize) {
    this.batchSize = batchSize;
  }

  /** Softmax probabilities, row-major (rows.length × classes). */
  public float[] probabilities(Classifier model, ImageDataset data, int[] rows) {
    int k = model.spec().numClasses();
    float[] out = new float[rows.length * k];
    int offset = 0;
    for (int[] batch : Batches.of(rows, batchSize)) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        float[] p =
            model.logits(data.images(model.manager(), batch), false).softmax(1).toFloatArray();
        System.arraycopy(p, 0, out, offset, p.length);
        offset += p.length;
      }
    }
    return out;
  }

  /** Penultimate embeddings, row-major (rows.length × embedding size). */
  public float[] embeddings(Classifier model, ImageDataset data, int[] rows) {
    int d = model.embeddingSize();
    float[] out = new float[rows.length * d];
    int offset = 0;
    for (int[] batch : Batches.of(rows, batchSize)) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray e = model.embedding(data.images(model.manager(), batch));
        float[] values = e.toFloatArray();
        System.arraycopy(values, 0, out, offset, values.length);
        offset += values.length;
      }
    }
    return out;
  }

  /** Per-example true-class confidence and correctness. */
  public Predictions predict(Classifier model, ImageDataset data, int[] rows) {
    int k = model.spec().numClasses();
    float[] p = probabilities(model, data, rows);
    double[] confidence = new double[rows.length];
    boolean[] correct = new boolean[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int label = data.label(rows[i]);
      int argMax = 0;
      for (int c = 1; c < k; c++) {
        if (p[i * k + c] > p[i * k + argMax]) {
          argMax = c;
        }
      }
      confidence[i] = p[i * k + label];
      correct[i] = argMax == label;
    }
    return new Predictions(confidence, correct);
  }

  /** Top-1 accuracy as a fraction; NaN for an empty set. */
  public double accuracy(Classifier model, ImageDataset data, int[] rows) {
    return predict(model, data, rows).accuracy();
  }
}
