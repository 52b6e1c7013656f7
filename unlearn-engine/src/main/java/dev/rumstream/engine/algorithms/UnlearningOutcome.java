package dev.rumstream.engine.algorithms;

import java.util.Map;

/**
 * What one step did: which algorithm with which hyper-parameters (all of them, defaults included),
 * on how much data, how long.
 */
public record UnlearningOutcome(
    UnlearningAlgorithm algorithm,
    Map<String, String> hyperParameters,
    int forgetSize,
    int retainSize,
    long wallTimeMillis) {

  public UnlearningOutcome {
    hyperParameters = Map.copyOf(hyperParameters);
  }
}
