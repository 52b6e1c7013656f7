package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDManager;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.algorithms.SaliencyMask.Direction;
import dev.rumstream.engine.algorithms.SaliencyMask.Trajectory;
import dev.rumstream.engine.model.Classifier;
import java.util.Optional;

/**
 * SalUn: Random-label restricted to the salient weights. The mask's update (gradient and weight
 * decay alike) is zero outside the mask, so those weights stay bit-identical. Defaults: lr 0.1, 10
 * epochs; mask: the largest-|g| 50% (the SalUn paper's choice), taken on θo as in the paper's code,
 * along the code's short ascent (mask_lr 0.01).
 */
public final class SalUn extends IterativeUnlearner {

  /** Which model the mask's gradients are taken on. */
  public enum MaskSource {
    ORIGINAL,
    CURRENT
  }

  private final double maskFraction;
  private final Direction maskDirection;
  private final MaskSource maskSource;
  private final Trajectory maskTrajectory;
  private final double maskLearningRate;
  private final boolean excludeTrueLabel;

  SalUn(EngineConfig config, HyperParameters hp) {
    super(config, UnlearningAlgorithm.SALUN, hp, 0.1, 10);
    maskFraction = hp.real("mask_fraction", 0.5);
    maskDirection = hp.choice("mask_direction", Direction.class, Direction.LARGEST);
    maskSource = hp.choice("mask_source", MaskSource.class, MaskSource.ORIGINAL);
    maskTrajectory = hp.choice("mask_trajectory", Trajectory.class, Trajectory.GA_STEPS);
    maskLearningRate = hp.real("mask_lr", 0.01);
    excludeTrueLabel = hp.flag("exclude_true_label", false);
  }

  /**
   * The mask this unlearner would use for the request (deterministic; exposed so callers can
   * inspect it).
   */
  public SaliencyMask mask(Classifier model, UnlearningRequest request) {
    Classifier source =
        switch (maskSource) {
          case CURRENT -> model;
          case ORIGINAL ->
              request
                  .original()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "SalUn with mask_source=original needs the original model in the request"));
        };
    return SaliencyMask.compute(
        source,
        request.train(),
        request.forgetRows(),
        maskFraction,
        maskDirection,
        maskTrajectory,
        maskLearningRate,
        common.batchSize());
  }

  @Override
  void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
    SaliencyMask mask = mask(model, request);
    try (NDManager maskManager = model.manager().newSubManager()) {
      descend(
          model,
          Optional.of(mask.toArrays(model, maskManager)),
          new RelabelEpochs(
              common, model, request.train(), forgetRows, retainRows, excludeTrueLabel));
    }
  }
}
