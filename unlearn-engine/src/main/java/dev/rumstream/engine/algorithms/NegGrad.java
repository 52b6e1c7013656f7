package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;

/**
 * NegGrad (GA): gradient ascent on the forget set's cross-entropy; no retain term. Defaults: lr
 * 1e-4, 5 epochs.
 */
public final class NegGrad extends IterativeUnlearner {

  NegGrad(EngineConfig config, HyperParameters hp) {
    super(config, UnlearningAlgorithm.NEG_GRAD, hp, 1e-4, 5);
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    descendOn(model, forgetRows, 1, batch -> crossEntropy(model, request, batch).neg());
  }
}
