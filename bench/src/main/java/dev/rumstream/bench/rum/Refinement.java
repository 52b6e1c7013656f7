package dev.rumstream.bench.rum;

import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.MemorizationScores;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RUM's refinement F by memorization proxy, for benchmarks and for forget sets that arrive
 * unrefined.
 */
public final class Refinement {

  private Refinement() {}

  /**
   * The paper's benchmark forget set ({@code mem=mix}): the {@code perLevel} least memorized
   * examples, the {@code perLevel} whose score is closest to the median, and the {@code perLevel}
   * most memorized, disjoint.
   */
  public static RefinedForgetSet mixed(MemorizationScores scores, int perLevel) {
    int[] order = scores.leastToMostMemorized();
    if (order.length < 3 * perLevel) {
      throw new IllegalArgumentException(
          "need " + 3 * perLevel + " scored examples, have " + order.length);
    }
    Set<Integer> taken = new HashSet<>();
    long[] low = new long[perLevel];
    long[] high = new long[perLevel];
    for (int i = 0; i < perLevel; i++) {
      low[i] = scores.ids()[order[i]];
      high[i] = scores.ids()[order[order.length - 1 - i]];
      taken.add(order[i]);
      taken.add(order[order.length - 1 - i]);
    }
    double median = scores.median();
    List<Integer> byDistance = new ArrayList<>();
    for (int index : order) {
      if (!taken.contains(index)) {
        byDistance.add(index);
      }
    }
    byDistance.sort(
        java.util.Comparator.<Integer>comparingDouble(i -> Math.abs(scores.values()[i] - median))
            .thenComparingLong(i -> scores.ids()[i]));
    long[] medium =
        byDistance.subList(0, perLevel).stream().mapToLong(i -> scores.ids()[i]).toArray();
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
    java.util.Comparator<Long> least = java.util.Comparator.comparingDouble(byId::get);
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
