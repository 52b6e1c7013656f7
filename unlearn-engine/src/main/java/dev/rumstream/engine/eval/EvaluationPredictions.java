package dev.rumstream.engine.eval;

/**
 * A model's predictions of an evaluation's retain rows and of the whole test set: what a
 * measurement needs besides the forget set, so a model whose parameters did not change is measured
 * again without predicting them again.
 *
 * @param retainRows the training rows {@code retain} predicts, in its order
 */
public record EvaluationPredictions(int[] retainRows, Predictions retain, Predictions test) {

  public EvaluationPredictions {
    if (retain.correct().length != retainRows.length) {
      throw new IllegalArgumentException(
          retain.correct().length + " retain predictions for " + retainRows.length + " rows");
    }
    retainRows = retainRows.clone();
  }

  /**
   * The same predictions for fewer retain rows (those left after more deletions), taken by row:
   * each of {@code rows} must be one of these retain rows, in the same order.
   */
  public EvaluationPredictions forRetainRows(int[] rows) {
    int[] positions = new int[rows.length];
    int next = 0;
    for (int i = 0; i < rows.length; i++) {
      while (next < retainRows.length && retainRows[next] != rows[i]) {
        next++;
      }
      if (next == retainRows.length) {
        throw new IllegalArgumentException(
            "retain row " + rows[i] + " was not predicted, or not in this order");
      }
      positions[i] = next++;
    }
    return new EvaluationPredictions(rows, retain.at(positions), test);
  }
}
