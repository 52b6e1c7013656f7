package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;

/**
 * Fine-tune (FT): cross-entropy on the retain set only. Defaults: lr 0.01, 10 epochs (paper
 * README).
 */
public final class FineTune extends IterativeUnlearner {

  FineTune(EngineConfig config, HyperParameters hp) {
    super(config, UnlearningAlgorithm.FINE_TUNE, hp, 0.01, 10);
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    descendOn(model, retainRows, 0, batch -> crossEntropy(model, request, batch));
  }
}
