package dev.rumstream.streams.refine;

import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.ScoreDistribution;
import java.util.List;

/**
 * Cuts at the tertiles of the set itself, by rank: a third of the scored examples per level (ties
 * stay together), as the paper's 1:1:1 split. Also the fallback when a model published no
 * training-set distribution.
 */
public final class ForgetSetTertiles implements CutRule {

  @Override
  public RefinementMethod method() {
    return RefinementMethod.FORGET_SET_TERTILES;
  }

  @Override
  public Cuts cuts(List<Double> scores, ScoreDistribution training, boolean higherIsMoreMemorized) {
    if (scores.isEmpty()) {
      return new Cuts(Double.NaN, Double.NaN, higherIsMoreMemorized);
    }
    double[] m =
        scores.stream()
            .mapToDouble(s -> Cuts.memorization(s, higherIsMoreMemorized))
            .sorted()
            .toArray();
    int n = m.length;
    double lower = m[(n + 2) / 3 - 1];
    double upper = m[(2 * n + 2) / 3 - 1];
    return new Cuts(
        Cuts.memorization(lower, higherIsMoreMemorized),
        Cuts.memorization(upper, higherIsMoreMemorized),
        higherIsMoreMemorized);
  }
}
