package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.LearningRateSchedule;
import dev.rumstream.engine.train.ModelTrainer;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.Map;
import java.util.Optional;

/**
 * Retrain (the oracle θr): a fresh random initialization trained on the retain set with the
 * original recipe. Defaults: lr 0.1, 30 epochs, cosine schedule (T_max = epochs).
 */
public final class Retrain extends IterativeUnlearner {

  public record Params(CommonParams common, LearningRateSchedule schedule) {
    static Params parse(Map<String, String> values, long seed) {
      return HyperParameters.read(
          values,
          UnlearningAlgorithm.RETRAIN,
          hp ->
              new Params(
                  CommonParams.parse(hp, 0.1, 30, seed),
                  hp.choice("schedule", LearningRateSchedule.class, LearningRateSchedule.COSINE)));
    }

    public Map<String, String> toMap() {
      Map<String, String> map = common.toMap();
      map.put("schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
      return map;
    }
  }

  private final Params params;

  Retrain(EngineConfig config, Params params) {
    super(config, UnlearningAlgorithm.RETRAIN, params.common(), params.toMap());
    this.params = params;
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
