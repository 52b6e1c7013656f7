package dev.rumstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * Builds the feature extractors (everything up to the penultimate embedding) of the supported
 * architectures.
 */
final class Networks {

  private Networks() {}

  /**
   * The feature extractor; its output is the embedding the linear head (and the entanglement score)
   * reads.
   */
  static SequentialBlock features(ModelSpec spec) {
    SequentialBlock features = new SequentialBlock();
    features.add(normalization(spec));
    switch (spec.architecture()) {
      case SMALL_CNN -> smallCnn(features, spec.baseWidth());
      case RESNET18 -> resnet18(features, spec.baseWidth());
    }
    return features;
  }

  static int embeddingSize(ModelSpec spec) {
    return switch (spec.architecture()) {
      case SMALL_CNN -> 4 * spec.baseWidth();
      case RESNET18 -> 8 * spec.baseWidth();
    };
  }

  static Block head(ModelSpec spec) {
    return Linear.builder().setUnits(spec.numClasses()).build();
  }

  private static Block normalization(ModelSpec spec) {
    float[] mean = toArray(spec.mean());
    float[] std = toArray(spec.std());
    int c = spec.channels();
    return new ai.djl.nn.LambdaBlock(
        list -> {
          NDArray x = list.singletonOrThrow();
          NDArray m = x.getManager().create(mean, new Shape(1, c, 1, 1));
          NDArray s = x.getManager().create(std, new Shape(1, c, 1, 1));
          return new NDList(x.sub(m).div(s));
        },
        "normalize");
  }

  private static void smallCnn(SequentialBlock net, int w) {
    net.add(conv(w, 1))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(new MaxPool2x2())
        .add(conv(2 * w, 1))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(new MaxPool2x2())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(4L * w).build())
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock());
  }

  private static void resnet18(SequentialBlock net, int w) {
    net.add(conv(w, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
    int[] widths = {w, 2 * w, 4 * w, 8 * w};
    int inWidth = w;
    for (int stage = 0; stage < widths.length; stage++) {
      for (int unit = 0; unit < 2; unit++) {
        int stride = stage > 0 && unit == 0 ? 2 : 1;
        net.add(basicBlock(widths[stage], stride, inWidth != widths[stage] || stride != 1));
        inWidth = widths[stage];
      }
    }
    net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
  }

  /**
   * A basic residual block: conv-BN-ReLU-conv-BN plus an identity (or 1x1 projection) shortcut,
   * then ReLU.
   */
  private static Block basicBlock(int width, int stride, boolean project) {
    SequentialBlock main =
        new SequentialBlock()
            .add(conv(width, stride))
            .add(BatchNorm.builder().build())
            .add(Activation.reluBlock())
            .add(conv(width, 1))
            .add(BatchNorm.builder().build());
    SequentialBlock shortcut = new SequentialBlock();
    if (project) {
      shortcut
          .add(
              Conv2d.builder()
                  .setFilters(width)
                  .setKernelShape(new Shape(1, 1))
                  .optStride(new Shape(stride, stride))
                  .optBias(false)
                  .build())
          .add(BatchNorm.builder().build());
    } else {
      shortcut.add(Blocks.identityBlock());
    }
    return new ParallelBlock(
        list ->
            new NDList(
                Activation.relu(
                    list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow()))),
        List.of(main, shortcut));
  }

  private static Block conv(int filters, int stride) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1))
        .optStride(new Shape(stride, stride))
        .optBias(false)
        .build();
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
