package dev.rumstream.bench.rum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.memorization.ProxyKind;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RefinementTest {

  /** Ids 0..29 with confidence = id / 30: higher id, higher confidence, LESS memorized. */
  private static MemorizationScores confidence() {
    long[] ids = LongStream.range(0, 30).toArray();
    double[] values = LongStream.range(0, 30).mapToDouble(i -> i / 30.0).toArray();
    return new MemorizationScores(ProxyKind.CONFIDENCE, ids, values);
  }

  @Test
  void mixedTakesTheExtremesAndTheExamplesNearestTheMedianRespectingTheProxysDirection() {
    RefinedForgetSet mixed = Refinement.mixed(confidence(), 3);
    assertThat(mixed.level(MemorizationLevel.LOW)).containsExactly(27, 28, 29);
    assertThat(mixed.level(MemorizationLevel.HIGH)).containsExactly(0, 1, 2);
    // Median of 0/30..29/30 is 14.5/30: the nearest are 14 and 15, then 13 (tie with 16 broken
    // towards the lower id).
    assertThat(mixed.level(MemorizationLevel.MEDIUM)).containsExactly(13, 14, 15);
  }

  @Test
  void aHigherIsMoreMemorizedProxyFlipsTheLevels() {
    MemorizationScores kl =
        new MemorizationScores(
            ProxyKind.HOLDOUT_RETRAINING, confidence().ids(), confidence().values());
    RefinedForgetSet mixed = Refinement.mixed(kl, 3);
    assertThat(mixed.level(MemorizationLevel.LOW)).containsExactly(0, 1, 2);
    assertThat(mixed.level(MemorizationLevel.HIGH)).containsExactly(27, 28, 29);
  }

  @Test
  void tertilesSplitAForgetSetByRankAndSendUnscoredExamplesToHigh() {
    long[] forget = {3, 4, 10, 11, 20, 21, 99};
    RefinedForgetSet refined = Refinement.tertiles(forget, confidence());
    assertThat(refined.level(MemorizationLevel.LOW)).containsExactly(20, 21);
    assertThat(refined.level(MemorizationLevel.MEDIUM)).containsExactly(10, 11);
    assertThat(refined.level(MemorizationLevel.HIGH)).containsExactly(3, 4, 99);
    assertThat(refined.size()).isEqualTo(7);
  }

  @Test
  void byMemorizationMediumIsNearestOneHalfNotTheMedian() {
    // Estimates 0.00, 0.05, ..., 0.95 for ids 100..119: the median is 0.475, one half is 0.50.
    long[] ids = LongStream.range(100, 120).toArray();
    double[] mem = LongStream.range(0, 20).mapToDouble(i -> i * 0.05).toArray();
    RefinedForgetSet mixed = Refinement.mixedByMemorization(ids, mem, 3);
    assertThat(mixed.level(MemorizationLevel.LOW)).containsExactly(100, 101, 102);
    assertThat(mixed.level(MemorizationLevel.HIGH)).containsExactly(117, 118, 119);
    // 0.50 (id 110), then 0.45 and 0.55 tie at 0.05 from it: the lower id first.
    assertThat(mixed.level(MemorizationLevel.MEDIUM)).containsExactly(109, 110, 111);
  }

  @Test
  void byMemorizationRefusesTooFewScoredExamples() {
    long[] ids = {1, 2, 3, 4, 5};
    double[] mem = {0.1, Double.NaN, 0.5, 0.9, 0.2};
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Refinement.mixedByMemorization(ids, mem, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need 6 scored examples, have 4");
  }
}
