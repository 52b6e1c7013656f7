package dev.rumstream.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.memorization.LearningEventRecorder;
import dev.rumstream.engine.model.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a model from its current parameters with plain cross-entropy: the original model θo
 * (optionally recording the learning-event memorization proxies from the very forward pass each
 * update uses) and the Retrain oracle.
 */
public final class ModelTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(ModelTrainer.class);

  private final EngineConfig config;

  public ModelTrainer(EngineConfig config) {
    this.config = config;
  }

  public TrainingRun train(
      Classifier model,
      ImageDataset data,
      int[] rows,
      TrainingRecipe recipe,
      Optional<LearningEventRecorder> recorder) {
    List<Double> seconds = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    NDManager manager = model.manager();
    try (Sgd sgd =
        new Sgd(
            model.trainableParameters(),
            recipe.learningRate(),
            recipe.momentum(),
            recipe.weightDecay())) {
      for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
        sgd.setLearningRate(recipe.schedule().rate(recipe.learningRate(), epoch, recipe.epochs()));
        long t0 = System.nanoTime();
        List<int[]> batches =
            Batches.of(
                Batches.shuffled(rows, new Random(recipe.seed() * 1_000_003L + epoch)),
                recipe.batchSize());
        double lossSum = 0;
        final int currentEpoch = epoch;
        try (EpochProgress progress =
            EpochProgress.open(
                config.progress(), "training", epoch, recipe.epochs(), batches.size())) {
          for (int[] batch : batches) {
            NDArray[] logits = new NDArray[1];
            NDArray[] labels = new NDArray[1];
            float loss =
                Steps.descend(
                    sgd,
                    () -> {
                      labels[0] = ImageDataset.labelArray(manager, data.labels(batch));
                      logits[0] = model.logits(data.images(manager, batch), true);
                      return Losses.crossEntropy(logits[0], labels[0]);
                    },
                    value ->
                        recorder.ifPresent(
                            r -> r.record(batch, logits[0], data.labels(batch), currentEpoch)));
            lossSum += loss;
            progress.step(loss);
          }
        }
        seconds.add((System.nanoTime() - t0) / 1e9);
        losses.add(lossSum / batches.size());
        LOG.info(
            "epoch {}/{}: loss {} in {} s",
            epoch + 1,
            recipe.epochs(),
            losses.get(epoch),
            seconds.get(epoch));
      }
    }
    return new TrainingRun(seconds, losses);
  }
}
