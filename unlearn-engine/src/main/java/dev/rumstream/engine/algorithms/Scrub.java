package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDArray;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SCRUB: the student (the model) is pushed away from a frozen teacher (a copy of the model as the
 * step received it) on the forget set and kept close to it, and correct, on the retain set. Each
 * epoch e (0-based) with e ≤ msteps starts with a max pass over the forget set minimizing −KL_T;
 * every epoch then has a min pass over the retain set minimizing γ·CE + β·KL_T; both share one
 * optimizer. Defaults: lr 5e-3, 5 epochs, msteps 4, T 4, β 0.001 (KL), γ 0.99 (CE), the original
 * SCRUB code's weights (the paper searched them).
 */
public final class Scrub extends IterativeUnlearner {

  private final int maxSteps;
  private final double temperature;
  private final double beta;
  private final double gamma;

  Scrub(EngineConfig config, HyperParameters hp) {
    super(config, UnlearningAlgorithm.SCRUB, hp, 5e-3, 5);
    maxSteps = hp.integer("msteps", 4);
    temperature = hp.real("kd_t", 4.0);
    beta = hp.real("beta", 0.001);
    gamma = hp.real("gamma", 0.99);
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    try (Classifier teacher = model.copy()) {
      // Frozen: no gradient ever reaches it, and it only runs in eval mode, so BatchNorm statistics
      // stay put too.
      teacher.freeze();
      scrub(model, teacher, request, forgetRows, retainRows);
    }
  }

  void scrub(
      Classifier student,
      Classifier teacher,
      UnlearningRequest request,
      int[] forgetRows,
      int[] retainRows) {
    var train = request.train();
    double t = temperature;
    descend(
        student,
        Optional.empty(),
        epoch -> {
          List<Supplier<NDArray>> steps = new ArrayList<>();
          if (epoch <= maxSteps) {
            for (int[] batch : epochBatches(forgetRows, epoch, 1)) {
              steps.add(
                  () -> {
                    NDArray images = train.images(student.manager(), batch);
                    NDArray teacherLogits = teacher.logits(images, false);
                    return Losses.distillKl(student.logits(images, true), teacherLogits, t).neg();
                  });
            }
          }
          for (int[] batch : epochBatches(retainRows, epoch, 0)) {
            steps.add(
                () -> {
                  NDArray images = train.images(student.manager(), batch);
                  NDArray teacherLogits = teacher.logits(images, false);
                  NDArray logits = student.logits(images, true);
                  NDArray ce =
                      Losses.crossEntropy(logits, student.manager().create(train.labels(batch)));
                  return ce.mul((float) gamma)
                      .add(Losses.distillKl(logits, teacherLogits, t).mul((float) beta));
                });
          }
          return steps;
        });
  }
}
