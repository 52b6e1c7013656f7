package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Losses;
import dev.rumstream.engine.train.Sgd;
import dev.rumstream.engine.train.Steps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SalUn's weight saliency mask: the gradient of the forget loss (−CE, the gradient-ascent loss)
 * summed over the forget set in eval mode, ranked by magnitude over all trainable parameters
 * jointly; 1 marks a weight SalUn may update. Values are 0/1 floats, one array per trainable
 * parameter, in {@link Classifier#trainableParameters()} order.
 */
public record SaliencyMask(List<float[]> values, int selected, int total) {

  /** Which end of the |gradient| ranking the mask keeps. */
  public enum Direction {
    /** The salient weights, as the SalUn paper describes (our default). */
    LARGEST,
    /** What the released code's ascending argsort actually selects. */
    SMALLEST
  }

  /** Where the gradients are taken. */
  public enum Trajectory {
    /**
     * As the code: an SGD step (mask_lr) after each forget batch, gradients accumulated along that
     * short ascent.
     */
    GA_STEPS,
    /** All gradients at the source parameters themselves. */
    AT_SOURCE
  }

  /** Computes the mask from {@code source}, which is left untouched (the ascent runs on a copy). */
  public static SaliencyMask compute(
      Classifier source,
      ImageDataset train,
      int[] forgetRows,
      double fraction,
      Direction direction,
      Trajectory trajectory,
      double maskLearningRate,
      int batchSize) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("mask fraction must be in (0, 1]: " + fraction);
    }
    List<float[]> magnitudes = new ArrayList<>();
    try (Classifier probe = source.copy();
        NDManager accumulators = probe.manager().newSubManager()) {
      List<Parameter> parameters = probe.trainableParameters();
      List<NDArray> sums = new ArrayList<>();
      for (Parameter p : parameters) {
        NDArray sum = accumulators.zeros(p.getArray().getShape());
        NDScope.unregister(sum);
        sums.add(sum);
      }
      // A learning rate of 0 leaves the probe at the source: the AT_SOURCE variant.
      double lr = trajectory == Trajectory.GA_STEPS ? maskLearningRate : 0.0;
      try (Sgd sgd = new Sgd(parameters, lr, 0.9, 5e-4)) {
        for (int[] batch : Batches.of(forgetRows, batchSize)) {
          Steps.descend(
              sgd,
              () ->
                  Losses.crossEntropy(
                          probe.logits(train.images(probe.manager(), batch), false),
                          probe.manager().create(train.labels(batch)))
                      .neg(),
              loss -> {
                for (int i = 0; i < parameters.size(); i++) {
                  sums.get(i).addi(parameters.get(i).getArray().getGradient());
                }
              });
        }
      }
      for (NDArray sum : sums) {
        magnitudes.add(sum.abs().toFloatArray());
      }
    }
    return select(magnitudes, fraction, direction);
  }

  /** Exactly round(fraction·n) weights, ties broken by position so the mask is reproducible. */
  static SaliencyMask select(List<float[]> magnitudes, double fraction, Direction direction) {
    int total = magnitudes.stream().mapToInt(a -> a.length).sum();
    long[] keys = new long[total];
    int index = 0;
    for (float[] values : magnitudes) {
      for (float v : values) {
        // Non-negative floats order like their bit patterns; the low 32 bits carry the position.
        keys[index] = ((long) Float.floatToIntBits(v) << 32) | index;
        index++;
      }
    }
    Arrays.sort(keys);
    int keep = (int) Math.round(fraction * total);
    boolean[] chosen = new boolean[total];
    for (int i = 0; i < keep; i++) {
      long key = direction == Direction.LARGEST ? keys[total - 1 - i] : keys[i];
      chosen[(int) (key & 0xffffffffL)] = true;
    }
    List<float[]> masks = new ArrayList<>();
    index = 0;
    for (float[] values : magnitudes) {
      float[] mask = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        mask[i] = chosen[index++] ? 1f : 0f;
      }
      masks.add(mask);
    }
    return new SaliencyMask(masks, keep, total);
  }

  /** The mask as arrays on the model's device, owned by {@code manager}. */
  List<NDArray> toArrays(Classifier model, NDManager manager) {
    List<Parameter> parameters = model.trainableParameters();
    List<NDArray> arrays = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      NDArray mask = manager.create(values.get(i), parameters.get(i).getArray().getShape());
      NDScope.unregister(mask);
      arrays.add(mask);
    }
    return arrays;
  }
}
