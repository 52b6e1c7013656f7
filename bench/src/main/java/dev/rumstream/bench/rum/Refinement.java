package dev.rumstream.bench.rum;

import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.MemorizationScores;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * RUM's refinement F by memorization proxy, for benchmarks and for forget sets that arrive
 * unrefined.
 */
public final class Refinement {

  private Refinement() {}

  /**
   * The paper's benchmark forget set ({@code mem=mix}) by a proxy: the {@code perLevel} least
   * memorized examples, the {@code perLevel} whose score is closest to the median, and the {@code
   * perLevel} most memorized, disjoint.
   */
  public static RefinedForgetSet mixed(MemorizationScores scores, int perLevel) {
    return mixed(
        scores.ids(), scores.values(), scores.leastToMostMemorized(), perLevel, scores.median());
  }

  /**
   * The same by memorization estimates themselves (Feldman's, rising with memorization): medium is
   * the {@code perLevel} closest to 0.5, as the paper makes it (rum-method.md §3.3).
   */
  public static RefinedForgetSet mixedByMemorization(
      long[] ids, double[] memorization, int perLevel) {
    int[] order =
        IntStream.range(0, ids.length)
            .filter(i -> !Double.isNaN(memorization[i]))
            .boxed()
            .sorted(
                Comparator.<Integer>comparingDouble(i -> memorization[i])
                    .thenComparingLong(i -> ids[i]))
            .mapToInt(Integer::intValue)
            .toArray();
    return mixed(ids, memorization, order, perLevel, 0.5);
  }

  /** Lowest, nearest {@code mediumTarget} and highest, by {@code order} (least memorized first). */
  private static RefinedForgetSet mixed(
      long[] ids, double[] values, int[] order, int perLevel, double mediumTarget) {
    if (order.length < 3 * perLevel) {
      throw new IllegalArgumentException(
          "need " + 3 * perLevel + " scored examples, have " + order.length);
    }
    Set<Integer> taken = new HashSet<>();
    long[] low = new long[perLevel];
    long[] high = new long[perLevel];
    for (int i = 0; i < perLevel; i++) {
      low[i] = ids[order[i]];
      high[i] = ids[order[order.length - 1 - i]];
      taken.add(order[i]);
      taken.add(order[order.length - 1 - i]);
    }
    List<Integer> byDistance = new ArrayList<>();
    for (int index : order) {
      if (!taken.contains(index)) {
        byDistance.add(index);
      }
    }
    byDistance.sort(
        Comparator.<Integer>comparingDouble(i -> Math.abs(values[i] - mediumTarget))
            .thenComparingLong(i -> ids[i]));
    long[] medium = byDistance.subList(0, perLevel).stream().mapToLong(i -> ids[i]).toArray();
    return RefinedForgetSet.of(low, medium, high);
  }

  /**
   * Splits an arbitrary forget set into tertiles of memorization rank within the set itself. Ids
   * without a score go to HIGH: the conservative choice, as the streaming design treats unscored
   * examples.
   */
  public static RefinedForgetSet tertiles(long[] forgetIds, MemorizationScores scores) {
    Map<Long, Double> byId = scores.asMap();
    List<Long> scored = new ArrayList<>();
    List<Long> unscored = new ArrayList<>();
    for (long id : forgetIds) {
      Double v = byId.get(id);
      if (v == null || v.isNaN()) {
        unscored.add(id);
      } else {
        scored.add(id);
      }
    }
    Comparator<Long> least = Comparator.comparingDouble(byId::get);
    if (!scores.kind().higherIsMoreMemorized()) {
      least = least.reversed();
    }
    scored.sort(least.thenComparingLong(Long::longValue));
    int n = scored.size();
    Map<MemorizationLevel, long[]> levels = new EnumMap<>(MemorizationLevel.class);
    levels.put(
        MemorizationLevel.LOW,
        scored.subList(0, n / 3).stream().mapToLong(Long::longValue).toArray());
    levels.put(
        MemorizationLevel.MEDIUM,
        scored.subList(n / 3, 2 * n / 3).stream().mapToLong(Long::longValue).toArray());
    List<Long> high = new ArrayList<>(scored.subList(2 * n / 3, n));
    high.addAll(unscored);
    levels.put(MemorizationLevel.HIGH, high.stream().mapToLong(Long::longValue).toArray());
    return new RefinedForgetSet(levels);
  }
}
