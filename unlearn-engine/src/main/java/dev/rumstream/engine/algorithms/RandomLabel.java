package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import java.util.Optional;

/**
 * Random-label (RL_og): forget examples get new uniform random labels every epoch and are trained
 * on together with the retain set. Defaults: lr 0.1, 10 epochs; the true label is not excluded from
 * the draw (as in the code).
 */
public final class RandomLabel extends IterativeUnlearner {

  private final boolean excludeTrueLabel;

  RandomLabel(EngineConfig config, HyperParameters hp) {
    super(config, UnlearningAlgorithm.RANDOM_LABEL, hp, 0.1, 10);
    excludeTrueLabel = hp.flag("exclude_true_label", false);
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    descend(
        model,
        Optional.empty(),
        new RelabelEpochs(
            common, model, request.train(), forgetRows, retainRows, excludeTrueLabel));
  }
}
