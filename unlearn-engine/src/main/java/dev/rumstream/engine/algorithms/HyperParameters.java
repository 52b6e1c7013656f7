package dev.rumstream.engine.algorithms;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an algorithm's hyper-parameters from the job's string map. Every key must be consumed: a
 * misspelt name is an error, not a silent fall-back to the default.
 */
final class HyperParameters {

  private final Map<String, String> values;
  private final Set<String> read = new HashSet<>();

  HyperParameters(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Reads an algorithm's parameters with {@code reader} and fails on any key it did not read. */
  static <P> P read(
      Map<String, String> values,
      UnlearningAlgorithm algorithm,
      java.util.function.Function<HyperParameters, P> reader) {
    HyperParameters hp = new HyperParameters(values);
    P params = reader.apply(hp);
    hp.requireAllRead(algorithm);
    return params;
  }

  double real(String key, double defaultValue) {
    String v = take(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("hyper-parameter " + key + " must be finite: " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("hyper-parameter " + key + " is not a number: " + v, e);
    }
  }

  int integer(String key, int defaultValue) {
    String v = take(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("hyper-parameter " + key + " is not an integer: " + v, e);
    }
  }

  long longValue(String key, long defaultValue) {
    String v = take(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("hyper-parameter " + key + " is not an integer: " + v, e);
    }
  }

  boolean flag(String key, boolean defaultValue) {
    String v = take(key);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "hyper-parameter " + key + " must be true or false: " + v);
    };
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    String v = take(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "hyper-parameter "
              + key
              + " must be one of "
              + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
              + ": "
              + v,
          e);
    }
  }

  /** Fails on keys nobody read. */
  void requireAllRead(UnlearningAlgorithm algorithm) {
    Set<String> unknown = new HashSet<>(values.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          algorithm + " has no hyper-parameter(s) " + new java.util.TreeSet<>(unknown));
    }
  }

  private String take(String key) {
    read.add(key);
    return values.get(key);
  }
}
