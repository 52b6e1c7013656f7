package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.LearningRateSchedule;
import dev.rumstream.engine.train.ModelTrainer;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Retrain (the oracle θr): a fresh random initialization trained on the retain set with the
 * original recipe. Defaults: lr 0.1, 30 epochs, cosine schedule (T_max = epochs).
 */
public final class Retrain extends IterativeUnlearner {

  public record Params(CommonParams common, LearningRateSchedule schedule) {
    static Params parse(Map<String, String> values, long seed) {
      HyperParameters hp = new HyperParameters(values);
      Params p =
          new Params(
              CommonParams.parse(hp, 0.1, 30, seed),
              hp.choice("schedule", LearningRateSchedule.class, LearningRateSchedule.COSINE));
      hp.requireAllRead(UnlearningAlgorithm.RETRAIN);
      return p;
    }

    public Map<String, String> toMap() {
      Map<String, String> map = new LinkedHashMap<>(common.toMap());
      map.put("schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
      return map;
    }
  }

  private final Params params;

  Retrain(EngineConfig config, Params params) {
    super(config, params.common());
    this.params = params;
  }

  @Override
  public UnlearningAlgorithm algorithm() {
    return UnlearningAlgorithm.RETRAIN;
  }

  @Override
  public Map<String, String> hyperParameters() {
    return params.toMap();
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    try (Classifier fresh = Classifier.create(model.spec(), model.device(), common.seed())) {
      model.copyParametersFrom(fresh);
    }
    TrainingRecipe recipe =
        new TrainingRecipe(
            common.epochs(),
            common.learningRate(),
            common.momentum(),
            common.weightDecay(),
            common.batchSize(),
            params.schedule(),
            common.seed());
    new ModelTrainer(config).train(model, request.train(), retainRows, recipe, Optional.empty());
  }
}
