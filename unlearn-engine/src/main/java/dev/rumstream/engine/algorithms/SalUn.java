package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDManager;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.algorithms.SaliencyMask.Direction;
import dev.rumstream.engine.algorithms.SaliencyMask.Trajectory;
import dev.rumstream.engine.model.Classifier;
import java.util.Locale;
import java.util.Map;
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

  public record Params(
      CommonParams common,
      double maskFraction,
      Direction maskDirection,
      MaskSource maskSource,
      Trajectory maskTrajectory,
      double maskLearningRate,
      boolean excludeTrueLabel) {
    static Params parse(Map<String, String> values, long seed) {
      return HyperParameters.read(
          values,
          UnlearningAlgorithm.SALUN,
          hp ->
              new Params(
                  CommonParams.parse(hp, 0.1, 10, seed),
                  hp.real("mask_fraction", 0.5),
                  hp.choice("mask_direction", Direction.class, Direction.LARGEST),
                  hp.choice("mask_source", MaskSource.class, MaskSource.ORIGINAL),
                  hp.choice("mask_trajectory", Trajectory.class, Trajectory.GA_STEPS),
                  hp.real("mask_lr", 0.01),
                  hp.flag("exclude_true_label", false)));
    }

    public Map<String, String> toMap() {
      Map<String, String> map = common.toMap();
      map.put("mask_fraction", Double.toString(maskFraction));
      map.put("mask_direction", maskDirection.name().toLowerCase(Locale.ROOT));
      map.put("mask_source", maskSource.name().toLowerCase(Locale.ROOT));
      map.put("mask_trajectory", maskTrajectory.name().toLowerCase(Locale.ROOT));
      map.put("mask_lr", Double.toString(maskLearningRate));
      map.put("exclude_true_label", Boolean.toString(excludeTrueLabel));
      return map;
    }
  }

  private final Params params;

  SalUn(EngineConfig config, Params params) {
    super(config, UnlearningAlgorithm.SALUN, params.common(), params.toMap());
    this.params = params;
  }

  /**
   * The mask this unlearner would use for the request (deterministic; exposed so callers can
   * inspect it).
   */
  public SaliencyMask mask(Classifier model, UnlearningRequest request) {
    Classifier source =
        switch (params.maskSource()) {
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
        params.maskFraction(),
        params.maskDirection(),
        params.maskTrajectory(),
        params.maskLearningRate(),
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
              common, model, request.train(), forgetRows, retainRows, params.excludeTrueLabel()));
    }
  }
}
