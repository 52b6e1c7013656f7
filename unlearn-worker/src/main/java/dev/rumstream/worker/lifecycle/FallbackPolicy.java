package dev.rumstream.worker.lifecycle;

import dev.rumstream.config.Settings;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.memorization.MemorizationLevel;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a job retries with when its level's algorithm produced a version the gate rejected: per
 * level an algorithm and its hyper-parameters, from {@code rumstream.gate.fallback.<level>.*}.
 */
public record FallbackPolicy(Map<MemorizationLevel, Fallback> levels) {
  public static final String PREFIX = "rumstream.gate.fallback.";

  public FallbackPolicy {
    levels = Map.copyOf(levels);
    for (MemorizationLevel level : MemorizationLevel.values()) {
      if (!levels.containsKey(level)) {
        throw new IllegalArgumentException("no fallback for level " + level);
      }
    }
  }

  /** One level's fallback; the hyper-parameters are the algorithm's own names (lr, epochs, ...). */
  public record Fallback(UnlearningAlgorithm algorithm, Map<String, String> hyperParameters) {
    public Fallback {
      hyperParameters = Map.copyOf(hyperParameters);
    }
  }

  public Fallback forLevel(MemorizationLevel level) {
    return levels.get(level);
  }

  /**
   * Reads {@code rumstream.gate.fallback.<level>.algorithm} and {@code .hp.<name>} for every level.
   * An empty hyper-parameter value removes a built-in one (needed when the algorithm changes).
   */
  public static FallbackPolicy from(Settings settings) {
    Map<MemorizationLevel, Fallback> levels = new EnumMap<>(MemorizationLevel.class);
    for (MemorizationLevel level : MemorizationLevel.values()) {
      String prefix = PREFIX + level.name().toLowerCase(Locale.ROOT) + ".";
      UnlearningAlgorithm algorithm =
          settings.choice(prefix + "algorithm", UnlearningAlgorithm.class);
      Map<String, String> hyperParameters = new TreeMap<>(settings.under(prefix + "hp."));
      hyperParameters.values().removeIf(String::isBlank);
      levels.put(level, new Fallback(algorithm, hyperParameters));
    }
    return new FallbackPolicy(levels);
  }
}
