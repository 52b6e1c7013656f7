package dev.rumstream.streams.refine;

import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.ScoreDistribution;
import java.util.List;

/**
 * Configured cut-offs in the proxy's units (for true memorization, e.g. 0.2 and 0.8). Which of the
 * two bounds LOW follows from the proxy's direction, so the same pair works for either kind of
 * proxy.
 */
public final class FixedCuts implements CutRule {
  private final double first;
  private final double second;

  public FixedCuts(double first, double second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public RefinementMethod method() {
    return RefinementMethod.FIXED;
  }

  @Override
  public Cuts cuts(List<Double> scores, ScoreDistribution training, boolean higherIsMoreMemorized) {
    double low = Math.min(first, second);
    double high = Math.max(first, second);
    return higherIsMoreMemorized ? new Cuts(low, high, true) : new Cuts(high, low, false);
  }
}
