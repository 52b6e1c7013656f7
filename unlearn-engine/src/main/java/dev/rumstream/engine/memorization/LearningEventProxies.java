package dev.rumstream.engine.memorization;

/**
 * The learning-event proxies of one training run, per example id: the output row of the paper's
 * code, {@code [id, last_epoch, mean_conf, mean_maxconf, mean_negent, mean_acc]}, plus how many
 * updates saw each example.
 */
public record LearningEventProxies(
    long[] ids,
    double[] meanConfidence,
    double[] meanMaxConfidence,
    double[] meanNegativeEntropy,
    double[] meanAccuracy,
    int[] observations,
    int lastEpoch) {

  /**
   * The proxies of the examples training saw at least once (a model trained without deleted
   * examples has no learning events for them).
   */
  public LearningEventProxies observedOnly() {
    int[] seen =
        java.util.stream.IntStream.range(0, ids.length).filter(i -> observations[i] > 0).toArray();
    if (seen.length == ids.length) {
      return this;
    }
    return new LearningEventProxies(
        java.util.Arrays.stream(seen).mapToLong(i -> ids[i]).toArray(),
        pick(meanConfidence, seen),
        pick(meanMaxConfidence, seen),
        pick(meanNegativeEntropy, seen),
        pick(meanAccuracy, seen),
        java.util.Arrays.stream(seen).map(i -> observations[i]).toArray(),
        lastEpoch);
  }

  private static double[] pick(double[] values, int[] indices) {
    return java.util.Arrays.stream(indices).mapToDouble(i -> values[i]).toArray();
  }

  public MemorizationScores scores(ProxyKind kind) {
    double[] values =
        switch (kind) {
          case CONFIDENCE -> meanConfidence;
          case MAX_CONFIDENCE -> meanMaxConfidence;
          case NEGATIVE_ENTROPY -> meanNegativeEntropy;
          case BINARY_ACCURACY -> meanAccuracy;
          case HOLDOUT_RETRAINING ->
              throw new IllegalArgumentException(
                  "holdout retraining is not a learning-event proxy; use HoldoutRetraining");
        };
    return new MemorizationScores(kind, ids, values);
  }
}
