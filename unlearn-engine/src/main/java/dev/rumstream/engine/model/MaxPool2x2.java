package dev.rumstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 2x2 max pooling with stride 2 (an odd last row or column dropped). Training uses PyTorch's
 * pooling kernel, whose backward pass is the fast one; inference takes the maximum of the four
 * strided slices: the same values in a fifth of the time on CPU cores, where PyTorch's NCHW
 * max-pool kernel was about a third of the small CNN's inference pass ({@code bench/run.sh
 * PoolingCost}, `unlearn-engine/ENGINE.md`). It has no parameters, so stored models load as before.
 */
public final class MaxPool2x2 extends AbstractBlock {

  private static final Shape WINDOW = new Shape(2, 2);

  public MaxPool2x2() {
    super((byte) 1);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    if (training) {
      return new NDList(Pool.maxPool2d(x, WINDOW, WINDOW, new Shape(0, 0), false));
    }
    Shape shape = x.getShape();
    long height = shape.get(2) / 2 * 2;
    long width = shape.get(3) / 2 * 2;
    if (height != shape.get(2) || width != shape.get(3)) {
      x = x.get(":, :, :{}, :{}", height, width);
    }
    NDArray top = x.get(":, :, 0::2, 0::2").maximum(x.get(":, :, 0::2, 1::2"));
    NDArray bottom = x.get(":, :, 1::2, 0::2").maximum(x.get(":, :, 1::2, 1::2"));
    return new NDList(top.maximum(bottom));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape shape = inputs[0];
    return new Shape[] {new Shape(shape.get(0), shape.get(1), shape.get(2) / 2, shape.get(3) / 2)};
  }
}
