package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import java.util.Map;
import java.util.Optional;

/**
 * Random-label (RL_og): forget examples get new uniform random labels every epoch and are trained
 * on together with the retain set. Defaults: lr 0.1, 10 epochs; the true label is not excluded from
 * the draw (as in the code).
 */
public final class RandomLabel extends IterativeUnlearner {

  public record Params(CommonParams common, boolean excludeTrueLabel) {
    static Params parse(Map<String, String> values, long seed) {
      return HyperParameters.read(
          values,
          UnlearningAlgorithm.RANDOM_LABEL,
          hp ->
              new Params(
                  CommonParams.parse(hp, 0.1, 10, seed), hp.flag("exclude_true_label", false)));
    }

    public Map<String, String> toMap() {
      Map<String, String> map = common.toMap();
      map.put("exclude_true_label", Boolean.toString(excludeTrueLabel));
      return map;
    }
  }

  private final Params params;

  RandomLabel(EngineConfig config, Params params) {
    super(config, UnlearningAlgorithm.RANDOM_LABEL, params.common(), params.toMap());
    this.params = params;
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    descend(
        model,
        Optional.empty(),
        new RelabelEpochs(
            common, model, request.train(), forgetRows, retainRows, params.excludeTrueLabel()));
  }
}
