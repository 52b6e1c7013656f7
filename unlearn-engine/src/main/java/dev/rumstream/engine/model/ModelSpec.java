package dev.rumstream.engine.model;

import dev.rumstream.engine.data.ImageDataset;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to rebuild a network: architecture, input shape, classes, base width and the
 * per-channel input normalization (kept inside the model, as in the paper's code, so data stays in
 * [0, 1]).
 *
 * @param baseWidth channels of the first layer: 32 for the small CNN, 64 for a standard ResNet-18
 */
public record ModelSpec(
    Architecture architecture,
    int channels,
    int imageHeight,
    int imageWidth,
    int numClasses,
    int baseWidth,
    List<Float> mean,
    List<Float> std) {

  /** Fashion-MNIST's pixel statistics. */
  public static final float FASHION_MNIST_MEAN = 0.2860f;

  public static final float FASHION_MNIST_STD = 0.3530f;

  public ModelSpec {
    Objects.requireNonNull(architecture);
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (channels <= 0 || imageHeight <= 0 || imageWidth <= 0 || numClasses < 2 || baseWidth <= 0) {
      throw new IllegalArgumentException("invalid model spec");
    }
    if (mean.size() != channels || std.size() != channels) {
      throw new IllegalArgumentException("need one mean and one std per channel");
    }
  }

  public static ModelSpec smallCnn(ImageDataset data) {
    return of(Architecture.SMALL_CNN, data, 32);
  }

  public static ModelSpec resnet18(ImageDataset data, int baseWidth) {
    return of(Architecture.RESNET18, data, baseWidth);
  }

  /**
   * A spec for the dataset's shape; normalization uses Fashion-MNIST's statistics for 1 channel,
   * 0.5/0.25 otherwise.
   */
  public static ModelSpec of(Architecture architecture, ImageDataset data, int baseWidth) {
    int c = data.channels();
    List<Float> mean = c == 1 ? List.of(FASHION_MNIST_MEAN) : Collections.nCopies(c, 0.5f);
    List<Float> std = c == 1 ? List.of(FASHION_MNIST_STD) : Collections.nCopies(c, 0.25f);
    return new ModelSpec(
        architecture, c, data.height(), data.width(), data.numClasses(), baseWidth, mean, std);
  }
}
