package dev.rumstream.engine.algorithms;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads an algorithm's hyper-parameters from the job's string map. Every key must be consumed: a
 * misspelt name is an error, not a silent fall-back to the default. Each value read is recorded in
 * canonical form, in reading order, so the map an unlearner reports is exactly what it parsed.
 */
final class HyperParameters {

  private final Map<String, String> values;
  private final Map<String, String> used = new LinkedHashMap<>();
  private boolean sealed;

  HyperParameters(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  double real(String key, double defaultValue) {
    double d = value(key, defaultValue, Double::parseDouble, "is not a number");
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(
          "hyper-parameter " + key + " must be finite: " + values.get(key));
    }
    return d;
  }

  int integer(String key, int defaultValue) {
    return value(key, defaultValue, Integer::parseInt, "is not an integer");
  }

  long longValue(String key, long defaultValue) {
    return value(key, defaultValue, Long::parseLong, "is not an integer");
  }

  boolean flag(String key, boolean defaultValue) {
    return value(
        key,
        defaultValue,
        v ->
            switch (v.toLowerCase(Locale.ROOT)) {
              case "true" -> true;
              case "false" -> false;
              default -> throw new IllegalArgumentException(v);
            },
        "must be true or false");
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    return value(
        key,
        defaultValue,
        v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)),
        "must be one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
  }

  /**
   * Fails on keys nobody read, and ends the reading: from here on the recorded map is final, so an
   * unlearner may hand it out.
   */
  void requireAllRead(UnlearningAlgorithm algorithm) {
    sealed = true;
    Set<String> unknown = new HashSet<>(values.keySet());
    unknown.removeAll(used.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          algorithm + " has no hyper-parameter(s) " + new TreeSet<>(unknown));
    }
  }

  /** Every value read so far, canonical and in reading order (the reported map). */
  Map<String, String> used() {
    return Collections.unmodifiableMap(used);
  }

  private <T> T value(String key, T defaultValue, Function<String, T> parse, String expected) {
    if (sealed) {
      throw new IllegalStateException("hyper-parameters are read before requireAllRead: " + key);
    }
    String v = values.get(key);
    T value;
    try {
      value = v == null ? defaultValue : parse.apply(v.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hyper-parameter " + key + " " + expected + ": " + v, e);
    }
    used.put(
        key, value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : value.toString());
    return value;
  }
}
