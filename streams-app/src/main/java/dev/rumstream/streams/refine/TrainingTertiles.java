package dev.rumstream.streams.refine;

import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.ScoreDistribution;
import java.util.List;

/**
 * Cuts at the tertiles of the model's whole training set (the default): a set's levels then mean
 * the same thing whatever else is in the set, as the paper's global low / medium / high groups do.
 */
public record TrainingTertiles() implements CutRule {

  @Override
  public RefinementMethod method() {
    return RefinementMethod.TRAINING_TERTILES;
  }

  @Override
  public Cuts cuts(List<Double> scores, ScoreDistribution training, boolean higherIsMoreMemorized) {
    if (training == null) {
      throw new IllegalArgumentException(
          "no training-set distribution was published for this model");
    }
    return Cuts.between(
        training.getLowerTertile(), training.getUpperTertile(), higherIsMoreMemorized);
  }
}
