package dev.rumstream.streams.refine;

import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.ScoreDistribution;
import java.util.List;

/**
 * Configured cut-offs in the proxy's units (for true memorization, e.g. 0.2 and 0.8). Which of the
 * two bounds LOW follows from the proxy's direction, so the same pair works for either kind of
 * proxy.
 */
public record FixedCuts(double first, double second) implements CutRule {

  @Override
  public RefinementMethod method() {
    return RefinementMethod.FIXED;
  }

  @Override
  public Cuts cuts(List<Double> scores, ScoreDistribution training, boolean higherIsMoreMemorized) {
    return Cuts.between(first, second, higherIsMoreMemorized);
  }
}
