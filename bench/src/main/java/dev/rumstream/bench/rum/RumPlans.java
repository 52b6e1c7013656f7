package dev.rumstream.bench.rum;

import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.memorization.MemorizationLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The plans of the paper's configurations (§5.3): RUM / RUM^F, Vanilla, and the Shuffle control.
 */
public final class RumPlans {

  private RumPlans() {}

  /**
   * Refined: one step per non-empty level, LOW then MEDIUM then HIGH, each with its own unlearner.
   * RUM^F is this with the same algorithm at every level; full RUM as released is NONE / FINE_TUNE
   * / SALUN.
   */
  public static List<RumStep> refined(
      RefinedForgetSet forgetSet, Map<MemorizationLevel, Unlearner> perLevel) {
    List<RumStep> plan = new ArrayList<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      long[] ids = forgetSet.level(level);
      if (ids.length == 0) {
        continue;
      }
      Unlearner unlearner = perLevel.get(level);
      if (unlearner == null) {
        throw new IllegalArgumentException("no algorithm for level " + level);
      }
      plan.add(new RumStep(level.name(), ids, unlearner));
    }
    return plan;
  }

  /** Vanilla: the whole forget set in one step. */
  public static List<RumStep> vanilla(long[] forgetIds, Unlearner unlearner) {
    return List.of(new RumStep("vanilla", forgetIds, unlearner));
  }

  /**
   * Shuffle: the levels pooled and randomly re-split into groups of the same sizes, run in sequence
   * with the same unlearner, to tell "sequential in chunks" apart from "homogeneous chunks". The
   * partition is fixed by the seed.
   */
  public static List<RumStep> shuffled(RefinedForgetSet forgetSet, Unlearner unlearner, long seed) {
    long[] pool = forgetSet.all();
    int[] order =
        Batches.shuffled(
            java.util.stream.IntStream.range(0, pool.length).toArray(), new Random(seed));
    List<RumStep> plan = new ArrayList<>();
    int start = 0;
    int group = 1;
    for (MemorizationLevel level : MemorizationLevel.values()) {
      int size = forgetSet.level(level).length;
      if (size == 0) {
        continue;
      }
      long[] ids =
          Arrays.stream(Arrays.copyOfRange(order, start, start + size))
              .mapToLong(i -> pool[i])
              .toArray();
      plan.add(new RumStep("shuffle-" + group++, ids, unlearner));
      start += size;
    }
    return plan;
  }
}
