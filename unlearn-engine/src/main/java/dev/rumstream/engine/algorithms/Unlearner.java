package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.model.Classifier;
import java.util.Map;

/**
 * One unlearning algorithm with its hyper-parameters fixed. Implementations update the model in
 * place.
 */
public interface Unlearner {

  UnlearningAlgorithm algorithm();

  /**
   * The full hyper-parameter map this unlearner uses, defaults included (what the model version
   * records).
   */
  Map<String, String> hyperParameters();

  /** Unlearns {@code request.forgetIds()} from {@code model}, in place. */
  UnlearningOutcome unlearn(Classifier model, UnlearningRequest request);
}
