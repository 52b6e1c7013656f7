package dev.rumstream.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import java.util.List;

/** The losses the algorithms combine; all are means over the batch, as in the paper's code. */
public final class Losses {

  private Losses() {}

  /** Mean softmax cross-entropy of logits (B, K) against int labels (B). */
  public static NDArray crossEntropy(NDArray logits, NDArray labels) {
    NDArray logProbabilities = logits.logSoftmax(1);
    NDArray oneHot = labels.oneHot((int) logits.getShape().get(1));
    return logProbabilities.mul(oneHot).sum(new int[] {1}).mean().neg();
  }

  /** Mean cross-entropy of the model, in train mode, on the given rows of {@code data}. */
  public static NDArray crossEntropy(Classifier model, ImageDataset data, int[] rows) {
    return crossEntropy(
        model.logits(data.images(model.manager(), rows), true),
        model.manager().create(data.labels(rows)));
  }

  /**
   * SCRUB's distillation term KL_T(student ‖ teacher) = T² · (1/B) · Σ KL(softmax(z_t/T) ‖
   * softmax(z_s/T)). The teacher's logits must come from outside the gradient collector.
   */
  public static NDArray distillKl(
      NDArray studentLogits, NDArray teacherLogits, double temperature) {
    NDArray logStudent = studentLogits.div((float) temperature).logSoftmax(1);
    NDArray logTeacher = teacherLogits.div((float) temperature).logSoftmax(1);
    NDArray kl = logTeacher.exp().mul(logTeacher.sub(logStudent)).sum(new int[] {1});
    return kl.mean().mul((float) (temperature * temperature));
  }

  /** ‖θ‖₁ over all given parameters concatenated (the L1-sparse regularizer). */
  public static NDArray l1Norm(List<Parameter> parameters) {
    NDArray total = null;
    for (Parameter p : parameters) {
      NDArray part = p.getArray().abs().sum();
      total = total == null ? part : total.add(part);
    }
    return total;
  }
}
