package dev.rumstream.worker.lifecycle;

import dev.rumstream.config.Settings;
import dev.rumstream.engine.memorization.MemorizationLevel;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The promotion gate's thresholds: the worker-wide ones ({@code rumstream.gate.*}) and per-model
 * overrides ({@code rumstream.gate.model.<modelId>.<suffix>}, any suffix of {@link #SUFFIXES}). The
 * defaults and the measurement they come from are in the worker's defaults file.
 */
public record GateSettings(Thresholds defaults, Map<String, Thresholds> models) {
  public static final String PREFIX = "rumstream.gate.";
  public static final String MODEL_PREFIX = PREFIX + "model.";
  static final String MAX_RETAIN_DROP = "max.retain.drop";
  static final String MAX_TEST_DROP = "max.test.drop";
  static final String MAX_UNDER_FORGETTING = "max.under.forgetting";
  static final String UNDER_FORGETTING_LEVELS = "under.forgetting.levels";
  static final String MAX_OVER_FORGETTING = "max.over.forgetting";
  static final String OVER_FORGETTING_LEVELS = "over.forgetting.levels";

  /** Every key suffix a threshold is read from, worker-wide and per model. */
  public static final Set<String> SUFFIXES =
      Set.of(
          MAX_RETAIN_DROP,
          MAX_TEST_DROP,
          MAX_UNDER_FORGETTING,
          UNDER_FORGETTING_LEVELS,
          MAX_OVER_FORGETTING,
          OVER_FORGETTING_LEVELS);

  public GateSettings {
    models = Map.copyOf(models);
  }

  /**
   * The effective thresholds of one model: a value passes when it is at most the limit.
   *
   * @param maxRetainDrop how far retain accuracy may fall against the last promoted version
   * @param maxTestDrop how far test accuracy may fall against the last promoted version
   * @param maxUnderForgetting the largest held-out non-member rate minus the forget set's rate
   * @param underForgettingLevels the levels the under-forgetting check applies to
   * @param maxOverForgetting the largest test accuracy minus forget accuracy
   * @param overForgettingLevels the levels the over-forgetting check applies to
   */
  public record Thresholds(
      double maxRetainDrop,
      double maxTestDrop,
      double maxUnderForgetting,
      Set<MemorizationLevel> underForgettingLevels,
      double maxOverForgetting,
      Set<MemorizationLevel> overForgettingLevels) {
    public Thresholds {
      underForgettingLevels = Set.copyOf(underForgettingLevels);
      overForgettingLevels = Set.copyOf(overForgettingLevels);
    }

    /**
     * These thresholds with the one of {@code suffix} read from {@code value} (from {@code key}).
     */
    Thresholds with(String suffix, String key, String value) {
      return switch (suffix) {
        case MAX_RETAIN_DROP ->
            new Thresholds(
                limit(key, value),
                maxTestDrop,
                maxUnderForgetting,
                underForgettingLevels,
                maxOverForgetting,
                overForgettingLevels);
        case MAX_TEST_DROP ->
            new Thresholds(
                maxRetainDrop,
                limit(key, value),
                maxUnderForgetting,
                underForgettingLevels,
                maxOverForgetting,
                overForgettingLevels);
        case MAX_UNDER_FORGETTING ->
            new Thresholds(
                maxRetainDrop,
                maxTestDrop,
                limit(key, value),
                underForgettingLevels,
                maxOverForgetting,
                overForgettingLevels);
        case UNDER_FORGETTING_LEVELS ->
            new Thresholds(
                maxRetainDrop,
                maxTestDrop,
                maxUnderForgetting,
                levels(key, value),
                maxOverForgetting,
                overForgettingLevels);
        case MAX_OVER_FORGETTING ->
            new Thresholds(
                maxRetainDrop,
                maxTestDrop,
                maxUnderForgetting,
                underForgettingLevels,
                limit(key, value),
                overForgettingLevels);
        case OVER_FORGETTING_LEVELS ->
            new Thresholds(
                maxRetainDrop,
                maxTestDrop,
                maxUnderForgetting,
                underForgettingLevels,
                maxOverForgetting,
                levels(key, value));
        default -> throw new ConfigException(key, value, "is not a gate setting");
      };
    }
  }

  /** The thresholds of {@code modelId}: its overrides over the worker-wide ones. */
  public Thresholds forModel(String modelId) {
    return models.getOrDefault(modelId, defaults);
  }

  /** Reads the worker-wide thresholds and every per-model override. */
  public static GateSettings from(Settings settings) {
    Thresholds defaults =
        new Thresholds(
            limit(settings, MAX_RETAIN_DROP),
            limit(settings, MAX_TEST_DROP),
            limit(settings, MAX_UNDER_FORGETTING),
            levels(
                PREFIX + UNDER_FORGETTING_LEVELS,
                settings.string(PREFIX + UNDER_FORGETTING_LEVELS, "")),
            limit(settings, MAX_OVER_FORGETTING),
            levels(
                PREFIX + OVER_FORGETTING_LEVELS,
                settings.string(PREFIX + OVER_FORGETTING_LEVELS, "")));
    Map<String, Thresholds> models = new HashMap<>();
    settings
        .under(MODEL_PREFIX)
        .forEach(
            (rest, value) -> {
              String key = MODEL_PREFIX + rest;
              String suffix =
                  SUFFIXES.stream()
                      .filter(s -> rest.endsWith("." + s) && rest.length() > s.length() + 1)
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new ConfigException(
                                  key,
                                  value,
                                  "per-model gate settings are "
                                      + MODEL_PREFIX
                                      + "<modelId>.<one of "
                                      + SUFFIXES
                                      + ">"));
              String modelId = rest.substring(0, rest.length() - suffix.length() - 1);
              models.put(
                  modelId, models.getOrDefault(modelId, defaults).with(suffix, key, value.trim()));
            });
    return new GateSettings(defaults, models);
  }

  private static double limit(Settings settings, String suffix) {
    String key = PREFIX + suffix;
    return limit(key, settings.string(key));
  }

  private static double limit(String key, String value) {
    double limit;
    try {
      limit = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a number");
    }
    if (!Double.isFinite(limit)) {
      throw new ConfigException(key, value, "must be a finite number");
    }
    return limit;
  }

  /** A comma-separated list of level names; empty means the check applies to no level. */
  private static Set<MemorizationLevel> levels(String key, String value) {
    Set<MemorizationLevel> levels = EnumSet.noneOf(MemorizationLevel.class);
    for (String name : value.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      try {
        levels.add(MemorizationLevel.valueOf(trimmed.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            key, value, "must list levels among " + Arrays.toString(MemorizationLevel.values()));
      }
    }
    return levels;
  }
}
