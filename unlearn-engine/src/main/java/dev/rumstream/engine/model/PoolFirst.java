package dev.rumstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * The eval-mode pass through a chain of blocks with each "batch norm, ReLU, 2x2 max-pool" run
 * pooled first, so that batch norm and ReLU see a quarter of the values: over the small CNN's
 * first, largest activation those two took over a quarter of its inference pass. The values are the
 * same: max-pooling commutes with ReLU exactly (max(relu a, relu b) = relu(max(a, b))), and with
 * batch norm in eval mode, a per-channel map x·scale + shift, in every channel whose scale is not
 * negative (a non-decreasing map, rounding included, keeps the maximum the maximum). Where a scale
 * is negative, batch norm runs before the pool.
 */
public final class PoolFirst {
  private static final String RELU = "ReLU";

  private PoolFirst() {}

  public static NDArray forward(SequentialBlock chain, ParameterStore store, NDArray x) {
    List<Block> blocks = chain.getChildren().values();
    for (int i = 0; i < blocks.size(); i++) {
      if (i + 2 < blocks.size()
          && blocks.get(i) instanceof BatchNorm norm
          && isRelu(blocks.get(i + 1))
          && blocks.get(i + 2) instanceof MaxPool2x2 pool) {
        x =
            nonDecreasing(norm)
                ? apply(norm, store, apply(pool, store, x))
                : apply(pool, store, apply(norm, store, x));
        x = apply(blocks.get(i + 1), store, x);
        i += 2;
      } else {
        x = apply(blocks.get(i), store, x);
      }
    }
    return x;
  }

  private static boolean isRelu(Block block) {
    return block instanceof LambdaBlock lambda && RELU.equals(lambda.getName());
  }

  /** The scale is gamma / sqrt(running variance + epsilon): its sign is gamma's (1 without it). */
  private static boolean nonDecreasing(BatchNorm norm) {
    Parameter gamma = norm.getParameters().get("gamma");
    if (gamma == null) {
      return true;
    }
    for (float g : gamma.getArray().toFloatArray()) {
      if (!(g >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static NDArray apply(Block block, ParameterStore store, NDArray x) {
    return block.forward(store, new NDList(x), false).singletonOrThrow();
  }
}
