package dev.rumstream.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class MaxPool2x2Test {

  private static final Shape WINDOW = new Shape(2, 2);

  @Test
  void inferenceGivesExactlyThePoolingKernelsValuesOnEvenAndOddSizes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (Shape shape : new Shape[] {new Shape(4, 3, 28, 28), new Shape(2, 5, 15, 9)}) {
        NDArray x = manager.randomNormal(shape);
        NDArray expected = Pool.maxPool2d(x, WINDOW, WINDOW, new Shape(0, 0), false);
        MaxPool2x2 pool = new MaxPool2x2();
        NDArray inference = forward(pool, manager, x, false);
        NDArray training = forward(pool, manager, x, true);
        assertThat(inference.getShape()).isEqualTo(expected.getShape());
        assertThat(inference.toFloatArray()).containsExactly(expected.toFloatArray());
        assertThat(training.toFloatArray()).containsExactly(expected.toFloatArray());
        assertThat(pool.getOutputShapes(new Shape[] {shape})[0]).isEqualTo(expected.getShape());
      }
    }
  }

  @Test
  void tiesLikeTheZerosAfterReluPoolToTheSameValue() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(2, 2, 6, 6)).maximum(0f);
      NDArray expected = Pool.maxPool2d(x, WINDOW, WINDOW, new Shape(0, 0), false);
      assertThat(forward(new MaxPool2x2(), manager, x, false).toFloatArray())
          .containsExactly(expected.toFloatArray());
    }
  }

  private static NDArray forward(MaxPool2x2 pool, NDManager manager, NDArray x, boolean training) {
    return pool.forward(new ParameterStore(manager, false), new NDList(x), training)
        .singletonOrThrow();
  }
}
