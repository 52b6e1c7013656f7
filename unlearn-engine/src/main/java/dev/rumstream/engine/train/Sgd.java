package dev.rumstream.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SGD with momentum and weight decay, PyTorch semantics (d = g + wd·w; buf = m·buf + d; w -=
 * lr·buf), with an optional per-parameter 0/1 mask applied to d. Written here rather than using
 * DJL's optimizer because the mask has to cover the weight-decay term too: masking only the
 * gradient (as the paper's code does) still lets weight decay move "frozen" weights, which is not
 * what a saliency mask means. One instance per unlearning run: a fresh optimizer per step, as in
 * the paper's code.
 */
public final class Sgd implements AutoCloseable {

  private final List<Parameter> parameters;
  private final List<NDArray> momentumBuffers = new ArrayList<>();
  private final Optional<List<NDArray>> masks;
  private final NDManager stateManager;
  private final double momentum;
  private final double weightDecay;
  private double learningRate;

  /**
   * @param masks one mask per parameter (same order, same shape), or empty for plain SGD
   */
  public Sgd(
      List<Parameter> parameters,
      double learningRate,
      double momentum,
      double weightDecay,
      Optional<List<NDArray>> masks) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("nothing to optimize");
    }
    masks.ifPresent(
        m -> {
          if (m.size() != parameters.size()) {
            throw new IllegalArgumentException("need one mask per parameter");
          }
        });
    this.parameters = List.copyOf(parameters);
    this.masks = masks;
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.stateManager = parameters.get(0).getArray().getManager().newSubManager();
    for (Parameter p : parameters) {
      NDArray buffer = stateManager.zeros(p.getArray().getShape(), p.getArray().getDataType());
      // The buffers live as long as this optimizer, not as long as whatever scope happens to be
      // open.
      NDScope.unregister(buffer);
      momentumBuffers.add(buffer);
    }
  }

  public Sgd(List<Parameter> parameters, double learningRate, double momentum, double weightDecay) {
    this(parameters, learningRate, momentum, weightDecay, Optional.empty());
  }

  public void setLearningRate(double learningRate) {
    this.learningRate = learningRate;
  }

  /**
   * Applies one update from the accumulated gradients, then zeroes them. Call outside a gradient
   * collector.
   */
  public void step() {
    // Grad mode is per thread in PyTorch and on by default on threads DJL did not start; in-place
    // updates of
    // leaf parameters need it off.
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (int i = 0; i < parameters.size(); i++) {
        NDArray weight = parameters.get(i).getArray();
        NDArray gradient = weight.getGradient();
        NDArray direction =
            weightDecay == 0.0
                ? gradient.duplicate()
                : gradient.add(weight.mul((float) weightDecay));
        if (masks.isPresent()) {
          direction.muli(masks.get().get(i));
        }
        NDArray buffer = momentumBuffers.get(i);
        buffer.muli((float) momentum).addi(direction);
        weight.subi(buffer.mul((float) learningRate));
        JniUtils.zeroGrad((PtNDArray) weight);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
