package dev.rumstream.streams.refine;

import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.ScoreDistribution;
import java.util.List;

/**
 * Cuts at the tertiles of the set itself, by rank: a third of the scored examples per level (ties
 * stay together), as the paper's 1:1:1 split. Also the fallback when a model published no
 * training-set distribution.
 */
public record ForgetSetTertiles() implements CutRule {

  @Override
  public RefinementMethod method() {
    return RefinementMethod.FORGET_SET_TERTILES;
  }

  @Override
  public Cuts cuts(List<Double> scores, ScoreDistribution training, boolean higherIsMoreMemorized) {
    if (scores.isEmpty()) {
      return new Cuts(Double.NaN, Double.NaN, higherIsMoreMemorized);
    }
    // Ranked on the memorization axis, so a third of the set is LOW whichever way the proxy runs.
    double[] m =
        scores.stream()
            .mapToDouble(s -> Cuts.memorization(s, higherIsMoreMemorized))
            .sorted()
            .toArray();
    int n = m.length;
    return Cuts.between(
        Cuts.memorization(m[(n + 2) / 3 - 1], higherIsMoreMemorized),
        Cuts.memorization(m[(2 * n + 2) / 3 - 1], higherIsMoreMemorized),
        higherIsMoreMemorized);
  }
}
