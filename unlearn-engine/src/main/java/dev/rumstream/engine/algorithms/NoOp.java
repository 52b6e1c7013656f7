package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.model.Classifier;
import java.util.Map;

/**
 * NONE: leaves the parameters alone; the examples still count as deleted for every later step
 * (RUM's low level).
 */
public final class NoOp implements Unlearner {

  @Override
  public UnlearningAlgorithm algorithm() {
    return UnlearningAlgorithm.NONE;
  }

  @Override
  public Map<String, String> hyperParameters() {
    return Map.of();
  }

  @Override
  public UnlearningOutcome unlearn(Classifier model, UnlearningRequest request) {
    return new UnlearningOutcome(
        UnlearningAlgorithm.NONE, Map.of(), request.forgetIds().length, 0, 0L);
  }
}
