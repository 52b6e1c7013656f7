package dev.rumstream.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolFirstTest {

  @Test
  void poolingFirstGivesExactlyTheValuesOfTheLayersInTheirOrder() {
    for (int[] size : new int[][] {{28, 28}, {15, 13}}) {
      for (int batch : new int[] {1, 7, 64}) {
        assertSameValues(size[0], size[1], batch, 0.0);
      }
    }
  }

  @Test
  void aBatchNormWithANegativeScaleRunsBeforeThePool() {
    // Pooled first, such a channel would keep its largest input, which it maps to its smallest.
    assertSameValues(28, 28, 16, 0.5);
  }

  /**
   * The small CNN's feature extractor with random batch-norm statistics, scales and shifts ({@code
   * negativeScales}: the share of scales below zero), in eval mode both ways.
   */
  private static void assertSameValues(int height, int width, int batch, double negativeScales) {
    ModelSpec spec =
        new ModelSpec(
            Architecture.SMALL_CNN, 1, height, width, 10, 8, List.of(0.3f), List.of(0.35f));
    Random random = new Random(height * 1000L + batch);
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock features = Networks.features(spec);
      features.initialize(manager, DataType.FLOAT32, new Shape(1, 1, height, width));
      for (var named : features.getParameters()) {
        randomize(named.getKey(), named.getValue(), random, negativeScales, manager);
      }
      ParameterStore store = new ParameterStore(manager, false);
      NDArray images = manager.randomUniform(0, 1, new Shape(batch, 1, height, width));
      float[] inOrder =
          features.forward(store, new NDList(images), false).singletonOrThrow().toFloatArray();
      float[] poolFirst = PoolFirst.forward(features, store, images).toFloatArray();
      assertThat(poolFirst).as("%dx%d, batch %d", height, width, batch).containsExactly(inOrder);
    }
  }

  private static void randomize(
      String name, Parameter parameter, Random random, double negativeScales, NDManager manager) {
    NDArray array = parameter.getArray();
    float[] values = new float[(int) array.size()];
    for (int i = 0; i < values.length; i++) {
      if (name.endsWith("gamma")) {
        double sign = random.nextDouble() < negativeScales ? -1 : 1;
        values[i] = (float) (sign * (0.2 + random.nextDouble()));
      } else if (name.endsWith("beta") || name.endsWith("runningMean")) {
        values[i] = (float) random.nextGaussian();
      } else if (name.endsWith("runningVar")) {
        values[i] = (float) (0.2 + random.nextDouble());
      } else {
        return;
      }
    }
    array.set(new NDIndex("..."), manager.create(values, array.getShape()));
  }
}
