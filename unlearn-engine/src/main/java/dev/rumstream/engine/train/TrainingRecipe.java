package dev.rumstream.engine.train;

/**
 * How to train a model from scratch (the original θo and the Retrain oracle): SGD lr 0.1, momentum
 * 0.9, weight decay 5e-4, batch 256, cosine schedule in the paper's code; no augmentation (RUM's
 * runs all use --no_aug, so θo, θr and the proxies stay consistent).
 */
public record TrainingRecipe(
    int epochs,
    double learningRate,
    double momentum,
    double weightDecay,
    int batchSize,
    LearningRateSchedule schedule,
    long seed) {

  public TrainingRecipe {
    if (epochs <= 0 || batchSize <= 0 || learningRate <= 0) {
      throw new IllegalArgumentException("epochs, batch size and learning rate must be positive");
    }
  }

  /** The paper's recipe with the given number of epochs. */
  public static TrainingRecipe paper(int epochs, long seed) {
    return new TrainingRecipe(epochs, 0.1, 0.9, 5e-4, 256, LearningRateSchedule.COSINE, seed);
  }

  public TrainingRecipe withLearningRate(double lr) {
    return new TrainingRecipe(epochs, lr, momentum, weightDecay, batchSize, schedule, seed);
  }

  public TrainingRecipe withEpochs(int n) {
    return new TrainingRecipe(n, learningRate, momentum, weightDecay, batchSize, schedule, seed);
  }
}
