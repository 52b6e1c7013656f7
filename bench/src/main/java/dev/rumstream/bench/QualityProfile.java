package dev.rumstream.bench;

/** What a profile sets; every value can be overridden on the command line. */
enum QualityProfile {
  // trainSize 0 = the whole training set; unlearnEpochs 0 = each algorithm's default epochs.
  // evalRetain / evalTest 0 = the whole retain / test set.
  QUICK(10_000, 2, 100, 1_000, 2, 1_000, 2_000, 2_000),
  FULL(0, 30, 1_000, 0, 0, 10_000, 0, 0);

  final int trainSize;
  final int epochs;
  final int perLevel;
  final int retainCount;
  final int unlearnEpochs;
  final int miaShadow;
  final int evalRetain;
  final int evalTest;

  QualityProfile(
      int trainSize,
      int epochs,
      int perLevel,
      int retainCount,
      int unlearnEpochs,
      int miaShadow,
      int evalRetain,
      int evalTest) {
    this.trainSize = trainSize;
    this.epochs = epochs;
    this.perLevel = perLevel;
    this.retainCount = retainCount;
    this.unlearnEpochs = unlearnEpochs;
    this.miaShadow = miaShadow;
    this.evalRetain = evalRetain;
    this.evalTest = evalTest;
  }
}
