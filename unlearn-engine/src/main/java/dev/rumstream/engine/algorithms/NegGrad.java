package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import java.util.Map;
import java.util.Optional;

/**
 * NegGrad (GA): gradient ascent on the forget set's cross-entropy; no retain term. Defaults: lr
 * 1e-4, 5 epochs.
 */
public final class NegGrad extends IterativeUnlearner {

  static CommonParams parse(Map<String, String> values, long seed) {
    return HyperParameters.read(
        values, UnlearningAlgorithm.NEG_GRAD, hp -> CommonParams.parse(hp, 1e-4, 5, seed));
  }

  NegGrad(EngineConfig config, CommonParams params) {
    super(config, UnlearningAlgorithm.NEG_GRAD, params, params.toMap());
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    descend(
        model,
        Optional.empty(),
        epoch ->
            batchSteps(forgetRows, epoch, 1, batch -> crossEntropy(model, request, batch).neg()));
  }
}
