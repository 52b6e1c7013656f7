package dev.rumstream.bench;

/** What a profile sets; every value can be overridden on the command line. */
enum QualityProfile {
  QUICK(new Sizes(10_000, 2, 100, 1_000, 2, 1_000, 2_000, 2_000)),
  FULL(new Sizes(0, 30, 1_000, 0, 0, 10_000, 0, 0));

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

  QualityProfile(Sizes sizes) {
    this.sizes = sizes;
  }
}
