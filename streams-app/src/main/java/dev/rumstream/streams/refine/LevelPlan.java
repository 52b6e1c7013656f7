package dev.rumstream.streams.refine;

import dev.rumstream.avro.UnlearningAlgorithm;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to do with the examples of one memorization level: an algorithm and its hyper-parameters.
 */
public record LevelPlan(UnlearningAlgorithm algorithm, Map<String, String> hyperParameters) {
  public LevelPlan {
    hyperParameters = Map.copyOf(hyperParameters);
  }

  static LevelPlan of(UnlearningAlgorithm algorithm, String... pairs) {
    Map<String, String> parameters = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      parameters.put(pairs[i], pairs[i + 1]);
    }
    return new LevelPlan(algorithm, parameters);
  }
}
