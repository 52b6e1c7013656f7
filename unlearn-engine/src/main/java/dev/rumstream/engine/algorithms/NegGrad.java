package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Sgd;
import java.util.Map;

/**
 * NegGrad (GA): gradient ascent on the forget set's cross-entropy; no retain term. Defaults: lr
 * 1e-4, 5 epochs.
 */
public final class NegGrad extends IterativeUnlearner {

  public record Params(CommonParams common) {
    static Params parse(Map<String, String> values, long seed) {
      HyperParameters hp = new HyperParameters(values);
      Params p = new Params(CommonParams.parse(hp, 1e-4, 5, seed));
      hp.requireAllRead(UnlearningAlgorithm.NEG_GRAD);
      return p;
    }

    public Map<String, String> toMap() {
      return common.toMap();
    }
  }

  private final Params params;

  NegGrad(EngineConfig config, Params params) {
    super(config, params.common());
    this.params = params;
  }

  @Override
  public UnlearningAlgorithm algorithm() {
    return UnlearningAlgorithm.NEG_GRAD;
  }

  @Override
  public Map<String, String> hyperParameters() {
    return params.toMap();
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    try (Sgd sgd =
        new Sgd(
            model.trainableParameters(),
            common.learningRate(),
            common.momentum(),
            common.weightDecay())) {
      for (int epoch = 0; epoch < common.epochs(); epoch++) {
        descendEpoch(sgd, forgetRows, epoch, 1, batch -> crossEntropy(model, request, batch).neg());
      }
    }
  }
}
