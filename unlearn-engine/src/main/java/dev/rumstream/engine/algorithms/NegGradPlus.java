package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.EpochProgress;
import dev.rumstream.engine.train.Losses;
import dev.rumstream.engine.train.Sgd;
import dev.rumstream.engine.train.Steps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NegGrad+ (NG): one epoch is one pass over the retain set; each retain batch is paired with the
 * next forget batch (the forget batches cycle), loss α·CE(retain) − (1−α)·CE(forget). Defaults: lr
 * 0.01, 5 epochs, α 0.99 (RUM's released per-step values are 0.99/0.97/0.97).
 */
public final class NegGradPlus extends IterativeUnlearner {

  public record Params(CommonParams common, double alpha) {
    public Params {
      if (alpha < 0 || alpha > 1) {
        throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
      }
    }

    static Params parse(Map<String, String> values, long seed) {
      HyperParameters hp = new HyperParameters(values);
      Params p = new Params(CommonParams.parse(hp, 0.01, 5, seed), hp.real("alpha", 0.99));
      hp.requireAllRead(UnlearningAlgorithm.NEG_GRAD_PLUS);
      return p;
    }

    public Map<String, String> toMap() {
      Map<String, String> map = new LinkedHashMap<>(common.toMap());
      map.put("alpha", Double.toString(alpha));
      return map;
    }
  }

  private final Params params;

  NegGradPlus(EngineConfig config, Params params) {
    super(config, params.common());
    this.params = params;
  }

  @Override
  public UnlearningAlgorithm algorithm() {
    return UnlearningAlgorithm.NEG_GRAD_PLUS;
  }

  @Override
  public Map<String, String> hyperParameters() {
    return params.toMap();
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    if (forgetRows.length == 0) {
      return;
    }
    var train = request.train();
    double alpha = params.alpha();
    try (Sgd sgd =
        new Sgd(
            model.trainableParameters(),
            common.learningRate(),
            common.momentum(),
            common.weightDecay())) {
      for (int epoch = 0; epoch < common.epochs(); epoch++) {
        List<int[]> retainBatches = epochBatches(retainRows, epoch, 0);
        List<int[]> forgetBatches = epochBatches(forgetRows, epoch, 1);
        try (EpochProgress progress = progress(epoch, retainBatches.size())) {
          for (int i = 0; i < retainBatches.size(); i++) {
            int[] retain = retainBatches.get(i);
            int[] forget = forgetBatches.get(i % forgetBatches.size());
            progress.step(
                Steps.descend(
                    sgd,
                    () -> {
                      var m = model.manager();
                      var retainLoss =
                          Losses.crossEntropy(
                              model.logits(train.images(m, retain), true),
                              m.create(train.labels(retain)));
                      var forgetLoss =
                          Losses.crossEntropy(
                              model.logits(train.images(m, forget), true),
                              m.create(train.labels(forget)));
                      return retainLoss
                          .mul((float) alpha)
                          .sub(forgetLoss.mul((float) (1.0 - alpha)));
                    }));
          }
        }
      }
    }
  }
}
