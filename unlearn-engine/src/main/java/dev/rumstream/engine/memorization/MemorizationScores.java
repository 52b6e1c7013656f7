package dev.rumstream.engine.memorization;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** One proxy's score per example id (what the memorization-scores topic publishes). */
public record MemorizationScores(ProxyKind kind, long[] ids, double[] values) {

  public MemorizationScores {
    if (ids.length != values.length) {
      throw new IllegalArgumentException("one score per id");
    }
    ids = ids.clone();
    values = values.clone();
  }

  public int size() {
    return ids.length;
  }

  public Map<Long, Double> asMap() {
    Map<Long, Double> map = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      map.put(ids[i], values[i]);
    }
    return map;
  }

  /**
   * Indices into {@link #ids()} ordered from least to most memorized (the proxy's direction
   * applied), NaN scores dropped; ties broken by id so the order is reproducible.
   */
  public int[] leastToMostMemorized() {
    Comparator<Integer> byScore = Comparator.comparingDouble(i -> values[i]);
    if (!kind.higherIsMoreMemorized()) {
      byScore = byScore.reversed();
    }
    return IntStream.range(0, ids.length)
        .filter(i -> !Double.isNaN(values[i]))
        .boxed()
        .sorted(byScore.thenComparingLong(i -> ids[i]))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** The median of the non-NaN scores. */
  public double median() {
    double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (finite.length == 0) {
      throw new IllegalStateException("no scores");
    }
    int mid = finite.length / 2;
    return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2.0;
  }
}
