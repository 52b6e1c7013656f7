package dev.rumstream.bench.rum;

import dev.rumstream.engine.algorithms.Unlearner;
import java.util.Arrays;
import java.util.Objects;

/**
 * One step of a sequential plan: a sub-batch of the forget set and the algorithm (with
 * hyper-parameters) for it.
 */
public record RumStep(String label, long[] forgetIds, Unlearner unlearner) {

  public RumStep {
    Objects.requireNonNull(label);
    Objects.requireNonNull(unlearner);
    forgetIds = Arrays.stream(forgetIds).distinct().sorted().toArray();
  }
}
