package dev.rumstream.bench;

/** What a profile sets; every value can be overridden on the command line. */
enum QualityProfile {
  QUICK(new Sizes(10_000, 2, 100, 1_000, 2, 1_000, 2_000, 2_000), QualitySetup.Levels.PROXY),
  /**
   * The quick profile's subset with θo and θr trained to convergence by the proxy-fidelity recipe
   * (10 epochs: train accuracy ≥ 0.99), levels by the stored memorization estimate of that same
   * subset, whole retain set, each algorithm's own epochs, the worker's attack size and every test
   * image.
   */
  CONVERGED(new Sizes(10_000, 10, 200, 0, 0, 2_000, 0, 0), QualitySetup.Levels.MEMORIZATION),
  FULL(new Sizes(0, 30, 1_000, 0, 0, 10_000, 0, 0), QualitySetup.Levels.PROXY);

  /**
   * A profile's values. trainSize 0 = the whole training set; unlearnEpochs 0 = each algorithm's
   * default epochs; evalRetain / evalTest 0 = the whole retain / test set.
   */
  record Sizes(
      int trainSize,
      int epochs,
      int perLevel,
      int retainCount,
      int unlearnEpochs,
      int miaShadow,
      int evalRetain,
      int evalTest) {}

  final Sizes sizes;
  final QualitySetup.Levels levels;

  QualityProfile(Sizes sizes, QualitySetup.Levels levels) {
    this.sizes = sizes;
    this.levels = levels;
  }
}
