package dev.rumstream.streams.refine;

import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.UnlearningAlgorithm;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps each memorization level to what the worker does with it (rum-method.md §5.3). The presets
 * are the configurations released with the paper's code and the one the converged quality profile
 * chose; any level can be overridden.
 */
public record RefinementPolicy(Map<MemorizationLevel, LevelPlan> plans) {

  /** The released configurations and the measured default. */
  public enum Preset {
    /**
     * Nothing at low, Fine-tune at medium (lr 0.1, 10 epochs, as full RUM releases it),
     * Random-label at high (lr 0.0359, 10 epochs): the one candidate that beat doing nothing by at
     * least 0.01 on ToW and ToW-MIA on every tuning seed and both kinds of memorization levels
     * (RESULTS.md §10).
     */
    RUM_FINE_TUNE_RANDOM_LABEL,
    /**
     * Nothing at low, Random-label at medium with lr 0.0129 and at high with lr 0.0359 (10 epochs):
     * the best ToW among the candidates that beat doing nothing on the tuning seeds (RESULTS.md
     * §9); on the reported seeds below doing nothing on ToW-MIA on the proxy's levels.
     */
    RUM_RANDOM_LABEL_GRADED,
    /**
     * Nothing at low, Random-label at medium and high with the learning rate the converged
     * profile's search chose (0.0359, 10 epochs): of the searched methods, the one that kept retain
     * accuracy (RESULTS.md §7); on the proxy's levels below doing nothing on ToW-MIA (§8).
     */
    RUM_RANDOM_LABEL,
    /**
     * Full RUM as released (main_rum.py): low nothing, medium Fine-tune (lr 0.1, 10 epochs), high
     * SalUn (lr 0.1, 5 epochs).
     */
    RUM,
    /** RUM^F with NegGrad+ at every level and the per-step values of main_rum_proxy.py. */
    RUM_F_NEG_GRAD_PLUS
  }

  public RefinementPolicy {
    plans = Map.copyOf(plans);
    for (MemorizationLevel level : MemorizationLevel.values()) {
      if (!plans.containsKey(level)) {
        throw new IllegalArgumentException("The policy has no plan for level " + level);
      }
    }
  }

  public LevelPlan plan(MemorizationLevel level) {
    return plans.get(level);
  }

  public static RefinementPolicy preset(Preset preset) {
    Map<MemorizationLevel, LevelPlan> plans = new EnumMap<>(MemorizationLevel.class);
    LevelPlan fineTune = LevelPlan.of(UnlearningAlgorithm.FINE_TUNE, "lr", "0.1", "epochs", "10");
    LevelPlan randomLabel =
        LevelPlan.of(UnlearningAlgorithm.RANDOM_LABEL, "lr", "0.0359", "epochs", "10");
    switch (preset) {
      case RUM_FINE_TUNE_RANDOM_LABEL -> nothingAtLow(plans, fineTune, randomLabel);
      case RUM_RANDOM_LABEL_GRADED ->
          nothingAtLow(
              plans,
              LevelPlan.of(UnlearningAlgorithm.RANDOM_LABEL, "lr", "0.0129", "epochs", "10"),
              randomLabel);
      case RUM_RANDOM_LABEL -> nothingAtLow(plans, randomLabel, randomLabel);
      case RUM ->
          nothingAtLow(
              plans,
              fineTune,
              LevelPlan.of(
                  UnlearningAlgorithm.SALUN,
                  "lr",
                  "0.1",
                  "epochs",
                  "5",
                  "mask_fraction",
                  "0.5",
                  "mask_direction",
                  "largest"));
      case RUM_F_NEG_GRAD_PLUS -> {
        plans.put(
            MemorizationLevel.LOW,
            LevelPlan.of(
                UnlearningAlgorithm.NEG_GRAD_PLUS, "alpha", "0.99", "lr", "0.01", "epochs", "5"));
        plans.put(
            MemorizationLevel.MEDIUM,
            LevelPlan.of(
                UnlearningAlgorithm.NEG_GRAD_PLUS, "alpha", "0.97", "lr", "0.01", "epochs", "5"));
        plans.put(
            MemorizationLevel.HIGH,
            LevelPlan.of(
                UnlearningAlgorithm.NEG_GRAD_PLUS, "alpha", "0.97", "lr", "0.001", "epochs", "10"));
      }
      default -> throw new IllegalArgumentException("Unknown preset " + preset);
    }
    return new RefinementPolicy(plans);
  }

  /** RUM's shape: low-memorization examples need nothing. */
  private static void nothingAtLow(
      Map<MemorizationLevel, LevelPlan> plans, LevelPlan medium, LevelPlan high) {
    plans.put(MemorizationLevel.LOW, LevelPlan.of(UnlearningAlgorithm.NONE));
    plans.put(MemorizationLevel.MEDIUM, medium);
    plans.put(MemorizationLevel.HIGH, high);
  }

  /**
   * A preset with per-level overrides: {@code <level>.algorithm} replaces a level's algorithm (and
   * drops the preset's hyper-parameters for it), {@code <level>.hp.<name>} sets one
   * hyper-parameter. Keys are relative to {@code rumstream.policy.}, levels in lower case.
   */
  public static RefinementPolicy of(Preset preset, Map<String, String> overrides) {
    Map<MemorizationLevel, LevelPlan> plans = new EnumMap<>(preset(preset).plans());
    for (MemorizationLevel level : MemorizationLevel.values()) {
      String prefix = level.name().toLowerCase(Locale.ROOT) + ".";
      LevelPlan plan = plans.get(level);
      String algorithm = overrides.get(prefix + "algorithm");
      if (algorithm != null) {
        UnlearningAlgorithm chosen =
            UnlearningAlgorithm.valueOf(algorithm.trim().toUpperCase(Locale.ROOT));
        plan = chosen == plan.algorithm() ? plan : new LevelPlan(chosen, Map.of());
      }
      Map<String, String> parameters = new TreeMap<>(plan.hyperParameters());
      overrides.forEach(
          (key, value) -> {
            if (key.startsWith(prefix + "hp.")) {
              parameters.put(key.substring((prefix + "hp.").length()), value);
            }
          });
      plans.put(level, new LevelPlan(plan.algorithm(), parameters));
    }
    return new RefinementPolicy(plans);
  }
}
