package dev.rumstream.engine.eval;

/**
 * How far an accuracy fell from one model to another, measured on the same examples, with the 95 %
 * margin of error of that paired difference. Only the examples whose correctness changed carry
 * information about it, so the margin is smaller than either accuracy's own as long as few change
 * (on 2,000 examples: 0.013 for an accuracy of 0.9; 0.006 for a drop where 2 % changed, 0.010 where
 * 5 % did, about what an unlearning step changes). Normal approximation to the mean of per-example
 * differences; hand-written, two lines do not earn a statistics library.
 *
 * @param drop the accuracy before minus the accuracy after
 * @param margin 1.96 standard errors of {@code drop}; NaN below two examples
 * @param examples how many examples both were measured on
 */
public record AccuracyChange(double drop, double margin, int examples) {

  /** The change from {@code before} to {@code after}, each example's correctness in one order. */
  public static AccuracyChange between(boolean[] before, boolean[] after) {
    if (before.length != after.length) {
      throw new IllegalArgumentException(
          before.length + " examples before, " + after.length + " after: not the same examples");
    }
    int n = before.length;
    int turnedWrong = 0;
    int turnedRight = 0;
    for (int i = 0; i < n; i++) {
      if (before[i] && !after[i]) {
        turnedWrong++;
      } else if (!before[i] && after[i]) {
        turnedRight++;
      }
    }
    if (n < 2) {
      return new AccuracyChange(n == 0 ? Double.NaN : turnedWrong - turnedRight, Double.NaN, n);
    }
    double drop = (turnedWrong - turnedRight) / (double) n;
    // Sample variance of the per-example differences (each -1, 0 or 1) over n - 1.
    double variance = (turnedWrong + turnedRight - n * drop * drop) / (n - 1.0);
    return new AccuracyChange(drop, 1.96 * Math.sqrt(variance / n), n);
  }
}
