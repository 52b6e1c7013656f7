package dev.rumstream.engine.train;

/**
 * Per-epoch learning rates. Unlearning runs use CONSTANT (the code's MultiStepLR never reaches its
 * milestones).
 */
public enum LearningRateSchedule {
  CONSTANT,
  /**
   * Cosine annealing stepped per epoch with T_max = epochs, as torch's CosineAnnealingLR in the
   * paper's training.
   */
  COSINE;

  public double rate(double base, int epoch, int epochs) {
    return switch (this) {
      case CONSTANT -> base;
      case COSINE -> base * 0.5 * (1.0 + Math.cos(Math.PI * epoch / epochs));
    };
  }
}
