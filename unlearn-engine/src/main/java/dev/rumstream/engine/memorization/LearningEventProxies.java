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
