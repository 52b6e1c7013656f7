package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDArray;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  public record Params(
      CommonParams common, int maxSteps, double temperature, double beta, double gamma) {
    static Params parse(Map<String, String> values, long seed) {
      return HyperParameters.read(
          values,
          UnlearningAlgorithm.SCRUB,
          hp ->
              new Params(
                  CommonParams.parse(hp, 5e-3, 5, seed),
                  hp.integer("msteps", 4),
                  hp.real("kd_t", 4.0),
                  hp.real("beta", 0.001),
                  hp.real("gamma", 0.99)));
    }

    public Map<String, String> toMap() {
      Map<String, String> map = common.toMap();
      map.put("msteps", Integer.toString(maxSteps));
      map.put("kd_t", Double.toString(temperature));
      map.put("beta", Double.toString(beta));
      map.put("gamma", Double.toString(gamma));
      return map;
    }
  }

  private final Params params;

  Scrub(EngineConfig config, Params params) {
    super(config, UnlearningAlgorithm.SCRUB, params.common(), params.toMap());
    this.params = params;
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
    double t = params.temperature();
    descend(
        student,
        Optional.empty(),
        epoch -> {
          List<Supplier<NDArray>> steps = new ArrayList<>();
          if (epoch <= params.maxSteps()) {
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
                  return ce.mul((float) params.gamma())
                      .add(Losses.distillKl(logits, teacherLogits, t).mul((float) params.beta()));
                });
          }
          return steps;
        });
  }
}
