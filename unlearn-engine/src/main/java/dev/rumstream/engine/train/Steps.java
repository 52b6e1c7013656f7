package dev.rumstream.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.function.Supplier;

/**
 * One optimization step with the memory discipline DJL needs: everything the step allocates (batch,
 * activations, loss, gradient wrappers, optimizer temporaries) is freed when the step's scope
 * closes.
 */
public final class Steps {

  private Steps() {}

  /**
   * Builds the loss under a gradient collector, back-propagates, updates; returns the loss value.
   */
  public static float descend(Sgd optimizer, Supplier<NDArray> loss) {
    return descend(optimizer, loss, value -> {});
  }

  /**
   * As {@link #descend(Sgd, Supplier)}, and hands the loss array (still alive, after backward) to
   * {@code afterBackward} before the update, for bookkeeping that reads the same forward pass.
   */
  public static float descend(
      Sgd optimizer, Supplier<NDArray> loss, java.util.function.Consumer<NDArray> afterBackward) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        value = loss.get();
        collector.backward(value);
      }
      afterBackward.accept(value);
      float result = value.getFloat();
      optimizer.step();
      return result;
    }
  }
}
