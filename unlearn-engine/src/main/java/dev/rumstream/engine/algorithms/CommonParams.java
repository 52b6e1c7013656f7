package dev.rumstream.engine.algorithms;

/**
 * The hyper-parameters every iterative algorithm shares (the paper code's {@code
 * _iterative_unlearn_impl}): a fresh SGD per run with momentum 0.9 and weight decay 5e-4, batch
 * 256, a constant learning rate, and how the retain set is subsampled to bound the cost.
 *
 * @param retainFraction keep this fraction of the retain set (1 = all)
 * @param retainCount keep at most this many retain examples (0 = no cap); applied after the
 *     fraction
 */
public record CommonParams(
    double learningRate,
    int epochs,
    int batchSize,
    double momentum,
    double weightDecay,
    double retainFraction,
    int retainCount,
    long seed) {

  public CommonParams {
    if (learningRate < 0 || epochs < 0 || batchSize <= 0 || momentum < 0 || weightDecay < 0) {
      throw new IllegalArgumentException(
          "learning rate, epochs, momentum and weight decay must be >= 0, " + "batch size > 0");
    }
    if (!(retainFraction > 0 && retainFraction <= 1) || retainCount < 0) {
      throw new IllegalArgumentException("retain_fraction must be in (0, 1] and retain_count >= 0");
    }
  }

  static CommonParams parse(
      HyperParameters hp, double defaultLr, int defaultEpochs, long defaultSeed) {
    return new CommonParams(
        hp.real("lr", defaultLr),
        hp.integer("epochs", defaultEpochs),
        hp.integer("batch_size", 256),
        hp.real("momentum", 0.9),
        hp.real("weight_decay", 5e-4),
        hp.real("retain_fraction", 1.0),
        hp.integer("retain_count", 0),
        hp.longValue("seed", defaultSeed));
  }
}
