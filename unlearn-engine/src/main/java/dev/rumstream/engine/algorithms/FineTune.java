package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Sgd;
import java.util.Map;

/**
 * Fine-tune (FT): cross-entropy on the retain set only. Defaults: lr 0.01, 10 epochs (paper
 * README).
 */
public final class FineTune extends IterativeUnlearner {

  public record Params(CommonParams common) {
    static Params parse(Map<String, String> values, long seed) {
      HyperParameters hp = new HyperParameters(values);
      Params p = new Params(CommonParams.parse(hp, 0.01, 10, seed));
      hp.requireAllRead(UnlearningAlgorithm.FINE_TUNE);
      return p;
    }

    public Map<String, String> toMap() {
      return common.toMap();
    }
  }

  private final Params params;

  FineTune(EngineConfig config, Params params) {
    super(config, params.common());
    this.params = params;
  }

  @Override
  public UnlearningAlgorithm algorithm() {
    return UnlearningAlgorithm.FINE_TUNE;
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
        descendEpoch(sgd, retainRows, epoch, 0, batch -> crossEntropy(model, request, batch));
      }
    }
  }
}
