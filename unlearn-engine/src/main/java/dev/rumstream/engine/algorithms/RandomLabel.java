package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Sgd;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random-label (RL_og): forget examples get new uniform random labels every epoch and are trained
 * on together with the retain set. Defaults: lr 0.1, 10 epochs; the true label is not excluded from
 * the draw (as in the code).
 */
public final class RandomLabel extends IterativeUnlearner {

  public record Params(CommonParams common, boolean excludeTrueLabel) {
    static Params parse(Map<String, String> values, long seed) {
      HyperParameters hp = new HyperParameters(values);
      Params p =
          new Params(CommonParams.parse(hp, 0.1, 10, seed), hp.flag("exclude_true_label", false));
      hp.requireAllRead(UnlearningAlgorithm.RANDOM_LABEL);
      return p;
    }

    public Map<String, String> toMap() {
      Map<String, String> map = new LinkedHashMap<>(common.toMap());
      map.put("exclude_true_label", Boolean.toString(excludeTrueLabel));
      return map;
    }
  }

  private final Params params;

  RandomLabel(EngineConfig config, Params params) {
    super(config, params.common());
    this.params = params;
  }

  @Override
  public UnlearningAlgorithm algorithm() {
    return UnlearningAlgorithm.RANDOM_LABEL;
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
      RelabelLoop.run(
          this, model, request.train(), forgetRows, retainRows, params.excludeTrueLabel(), sgd);
    }
  }
}
