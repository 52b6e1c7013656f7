package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDArray;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * NegGrad+ (NG): one epoch is one pass over the retain set; each retain batch is paired with the
 * next forget batch (the forget batches cycle), loss α·CE(retain) − (1−α)·CE(forget). Defaults: lr
 * 0.01, 5 epochs, α 0.99 (RUM's released per-step values are 0.99/0.97/0.97).
 */
public final class NegGradPlus extends IterativeUnlearner {

  private final double alpha;

  NegGradPlus(EngineConfig config, HyperParameters hp) {
    super(config, UnlearningAlgorithm.NEG_GRAD_PLUS, hp, 0.01, 5);
    alpha = hp.real("alpha", 0.99);
    if (alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
    }
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    if (forgetRows.length == 0) {
      return;
    }
    float retainWeight = (float) alpha;
    float forgetWeight = (float) (1.0 - alpha);
    descend(
        model,
        Optional.empty(),
        epoch -> {
          List<int[]> retainBatches = epochBatches(retainRows, epoch, 0);
          List<int[]> forgetBatches = epochBatches(forgetRows, epoch, 1);
          List<Supplier<NDArray>> steps = new ArrayList<>();
          for (int i = 0; i < retainBatches.size(); i++) {
            int[] retain = retainBatches.get(i);
            int[] forget = forgetBatches.get(i % forgetBatches.size());
            steps.add(
                () ->
                    crossEntropy(model, request, retain)
                        .mul(retainWeight)
                        .sub(crossEntropy(model, request, forget).mul(forgetWeight)));
          }
          return steps;
        });
  }
}
