package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.LearningRateSchedule;
import dev.rumstream.engine.train.ModelTrainer;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.Optional;

/**
 * Retrain (the oracle θr): a fresh random initialization trained on the retain set with the
 * original recipe. Defaults: lr 0.1, 30 epochs, cosine schedule (T_max = epochs).
 */
public final class Retrain extends IterativeUnlearner {

  private final LearningRateSchedule schedule;

  Retrain(EngineConfig config, HyperParameters hp) {
    super(config, UnlearningAlgorithm.RETRAIN, hp, 0.1, 30);
    schedule = hp.choice("schedule", LearningRateSchedule.class, LearningRateSchedule.COSINE);
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
            schedule,
            common.seed());
    new ModelTrainer(config).train(model, request.train(), retainRows, recipe, Optional.empty());
  }
}
