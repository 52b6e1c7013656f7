package dev.rumstream.streams.refine;

import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.ScoreDistribution;
import java.util.List;

/** One way of choosing the level boundaries for a forget set (rum-method.md §3.3 and §8.5). */
public interface CutRule {

  RefinementMethod method();

  /**
   * @param scores the raw scores of the set's scored examples
   * @param training the model's training-set distribution of the proxy, or null when none was
   *     published
   * @param higherIsMoreMemorized the proxy's direction
   */
  Cuts cuts(List<Double> scores, ScoreDistribution training, boolean higherIsMoreMemorized);
}
