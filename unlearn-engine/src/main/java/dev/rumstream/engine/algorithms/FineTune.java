package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import java.util.Map;
import java.util.Optional;

/**
 * Fine-tune (FT): cross-entropy on the retain set only. Defaults: lr 0.01, 10 epochs (paper
 * README).
 */
public final class FineTune extends IterativeUnlearner {

  static CommonParams parse(Map<String, String> values, long seed) {
    return HyperParameters.read(
        values, UnlearningAlgorithm.FINE_TUNE, hp -> CommonParams.parse(hp, 0.01, 10, seed));
  }

  FineTune(EngineConfig config, CommonParams params) {
    super(config, UnlearningAlgorithm.FINE_TUNE, params, params.toMap());
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    descend(
        model,
        Optional.empty(),
        epoch -> batchSteps(retainRows, epoch, 0, batch -> crossEntropy(model, request, batch)));
  }
}
