package dev.rumstream.worker.lifecycle;

import static dev.rumstream.worker.lifecycle.PromotionGate.OVER_FORGETTING;
import static dev.rumstream.worker.lifecycle.PromotionGate.RETAIN_ACCURACY_DROP;
import static dev.rumstream.worker.lifecycle.PromotionGate.TEST_ACCURACY_DROP;
import static dev.rumstream.worker.lifecycle.PromotionGate.UNDER_FORGETTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rumstream.avro.VersionStatus;
import dev.rumstream.engine.eval.AccuracyChange;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.worker.store.VersionManifest;
import dev.rumstream.worker.store.VersionManifest.Evidence;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each check at its boundary, with limits and measurements exact in binary (eighths). */
class PromotionGateTest {
  private static final int LARGE = 1_000_000;

  private static final GateSettings.Thresholds LIMITS =
      new GateSettings.Thresholds(
          0.125,
          0.0625,
          0.125,
          EnumSet.of(MemorizationLevel.HIGH),
          0.125,
          EnumSet.of(MemorizationLevel.LOW, MemorizationLevel.MEDIUM));
  private static final Evidence BASELINE = evidence(0.5, 0.875, 0.75, 0.5, 0.5, 8);

  private final PromotionGate gate = new PromotionGate(new GateSettings(LIMITS, Map.of()));

  private static Evidence evidence(
      Double forget, double retain, double test, Double mia, Double heldOutMia, int forgetSize) {
    return new Evidence(forget, retain, test, mia, heldOutMia, null, forgetSize, 1000, 1);
  }

  private static VersionManifest version(long version, String level, Evidence evidence) {
    return new VersionManifest(
        "m",
        version,
        version == 0 ? null : version - 1,
        "job-" + version,
        "fs",
        level,
        "NEG_GRAD_PLUS",
        Map.of(),
        List.of(),
        List.of(),
        List.of(),
        "data",
        1000,
        "cnn",
        "sum",
        1,
        Instant.EPOCH,
        "cpu",
        evidence,
        VersionStatus.CANDIDATE,
        Instant.EPOCH,
        null,
        null,
        null,
        1,
        false);
  }

  private GateResult judge(String level, Evidence candidate) {
    return gate.judge("m", version(4, level, candidate), version(3, null, BASELINE));
  }

  private static GateResult.Check check(GateResult result, String name) {
    return result.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void anUnchangedModelPassesEveryCheckAgainstItsBaseline() {
    GateResult result = judge("HIGH", evidence(0.75, 0.875, 0.75, 0.5, 0.5, 8));

    assertThat(result.passed()).isTrue();
    assertThat(result.baselineVersion()).isEqualTo(3L);
    assertThat(result.checks())
        .extracting(GateResult.Check::name)
        .containsExactly(
            RETAIN_ACCURACY_DROP, TEST_ACCURACY_DROP, UNDER_FORGETTING, OVER_FORGETTING);
    assertThat(check(result, RETAIN_ACCURACY_DROP))
        .isEqualTo(new GateResult.Check(RETAIN_ACCURACY_DROP, 0.0, 0.125, true));
  }

  /**
   * Retain accuracy may fall by 0.125 (from 0.875), test accuracy by 0.0625 (from 0.75); forget
   * accuracy follows test accuracy so that over-forgetting stays within its limit.
   */
  @ParameterizedTest
  @ValueSource(strings = {RETAIN_ACCURACY_DROP, TEST_ACCURACY_DROP})
  void anAccuracyMayDropByItsLimitAndNoMore(String name) {
    boolean retain = name.equals(RETAIN_ACCURACY_DROP);
    GateResult atLimit =
        retain
            ? judge("LOW", evidence(0.75, 0.75, 0.75, 0.5, 0.5, 8))
            : judge("LOW", evidence(0.6875, 0.875, 0.6875, 0.5, 0.5, 8));
    GateResult beyond =
        retain
            ? judge("LOW", evidence(0.75, 0.625, 0.75, 0.5, 0.5, 8))
            : judge("LOW", evidence(0.625, 0.875, 0.625, 0.5, 0.5, 8));

    assertThat(check(atLimit, name).passed()).isTrue();
    assertThat(atLimit.passed()).isTrue();
    assertThat(check(beyond, name))
        .isEqualTo(
            retain
                ? new GateResult.Check(name, 0.25, 0.125, false)
                : new GateResult.Check(name, 0.125, 0.0625, false));
    assertThat(beyond.failures()).containsExactly(name);
  }

  @Test
  void aBetterCandidateHasANegativeDropAndPasses() {
    GateResult result = judge("LOW", evidence(1.0, 1.0, 1.0, 0.5, 0.5, 8));

    assertThat(check(result, RETAIN_ACCURACY_DROP).value()).isEqualTo(-0.125);
    assertThat(result.passed()).isTrue();
  }

  @Test
  void aNanAccuracyFailsTheUtilityChecks() {
    GateResult retainNan = judge("HIGH", evidence(0.75, Double.NaN, 0.75, 0.5, 0.5, 8));
    GateResult testNan = judge("HIGH", evidence(0.0, 0.875, Double.NaN, 0.5, 0.5, 8));

    assertThat(check(retainNan, RETAIN_ACCURACY_DROP).value()).isNaN();
    assertThat(retainNan.failures()).containsExactly(RETAIN_ACCURACY_DROP);
    assertThat(testNan.failures()).containsExactly(TEST_ACCURACY_DROP);
  }

  /**
   * Under-forgetting: held-out rate 0.5 against a forget rate 0.125 or 0.25 below it, at HIGH.
   * Over-forgetting: test accuracy 0.75 against a forget accuracy 0.125 or 0.25 below it, at
   * MEDIUM.
   */
  @ParameterizedTest
  @ValueSource(strings = {UNDER_FORGETTING, OVER_FORGETTING})
  void aForgettingCheckAllowsItsMarginAndNoMore(String name) {
    boolean under = name.equals(UNDER_FORGETTING);
    assertMarginHolds(
        name,
        under
            ? judge("HIGH", evidence(0.0, 0.875, 0.75, 0.375, 0.5, LARGE))
            : judge("MEDIUM", evidence(0.625, 0.875, 0.75, 0.5, 0.5, LARGE)),
        under
            ? judge("HIGH", evidence(0.0, 0.875, 0.75, 0.25, 0.5, LARGE))
            : judge("MEDIUM", evidence(0.5, 0.875, 0.75, 0.5, 0.5, LARGE)),
        under ? 0.5 : 0.75);
  }

  /** At the margin (0.125 plus the sampling error at the reference rate) it passes; at 0.25 not. */
  private static void assertMarginHolds(
      String name, GateResult atLimit, GateResult beyond, double reference) {
    assertThat(check(atLimit, name))
        .isEqualTo(
            new GateResult.Check(
                name, 0.125, 0.125 + PromotionGate.samplingError(reference, LARGE), true));
    assertThat(check(beyond, name).value()).isEqualTo(0.25);
    assertThat(beyond.failures()).containsExactly(name);
  }

  @Test
  void underForgettingDoesNotApplyOutsideItsLevelsOrWithoutMeasurements() {
    GateResult.Check notApplicable = new GateResult.Check(UNDER_FORGETTING, null, null, true);

    // The same measurement that fails at HIGH (a 0.25 gap) is not checked at MEDIUM.
    assertThat(check(judge("MEDIUM", evidence(0.75, 0.875, 0.75, 0.25, 0.5, 8)), UNDER_FORGETTING))
        .isEqualTo(notApplicable);
    assertThat(check(judge("HIGH", evidence(null, 0.875, 0.75, 0.25, 0.5, 0)), UNDER_FORGETTING))
        .isEqualTo(notApplicable);
    assertThat(check(judge("HIGH", evidence(0.0, 0.875, 0.75, null, 0.5, 8)), UNDER_FORGETTING))
        .isEqualTo(notApplicable);
    assertThat(check(judge("HIGH", evidence(0.0, 0.875, 0.75, 0.25, null, 8)), UNDER_FORGETTING))
        .isEqualTo(notApplicable);
    assertThat(
            check(judge("HIGH", evidence(0.0, 0.875, 0.75, 0.25, Double.NaN, 8)), UNDER_FORGETTING))
        .isEqualTo(notApplicable);
  }

  @Test
  void aNanForgetRateFailsUnderForgetting() {
    GateResult result = judge("HIGH", evidence(0.0, 0.875, 0.75, Double.NaN, 0.5, 8));

    assertThat(result.failures()).containsExactly(UNDER_FORGETTING);
  }

  @Test
  void aSmallSubBatchIsAllowedItsSamplingErrorOnTopOfTheMargin() {
    // 8 examples: 1.96 * sqrt(0.75 * 0.25 / 8) = 0.30 more room than the 0.125 margin.
    GateResult chance = judge("MEDIUM", evidence(0.5, 0.875, 0.75, 0.5, 0.5, 8));
    GateResult wiped = judge("MEDIUM", evidence(0.0, 0.875, 0.75, 0.5, 0.5, 8));

    assertThat(PromotionGate.samplingError(0.75, 8)).isCloseTo(0.300, within(0.001));
    assertThat(check(chance, OVER_FORGETTING).passed()).isTrue();
    assertThat(wiped.failures()).containsExactly(OVER_FORGETTING);
  }

  @Test
  void overForgettingDoesNotApplyToHighlyMemorizedExamplesByDefault() {
    // The retrain oracle itself gets low accuracy on them: 0.0 is no evidence of over-forgetting.
    GateResult result = judge("HIGH", evidence(0.0, 0.875, 0.75, 0.5, 0.5, 8));

    assertThat(check(result, OVER_FORGETTING))
        .isEqualTo(new GateResult.Check(OVER_FORGETTING, null, null, true));
    assertThat(result.passed()).isTrue();
  }

  @Test
  void withoutABaselineOrEvidenceTheChecksDoNotApply() {
    VersionManifest candidate = version(4, "LOW", evidence(0.0, 0.0, 0.75, 0.5, 0.5, 8));
    GateResult noBaseline = gate.judge("m", candidate, null);
    GateResult noEvidence = gate.judge("m", version(4, "LOW", null), version(3, null, BASELINE));

    assertThat(noBaseline.baselineVersion()).isNull();
    assertThat(check(noBaseline, RETAIN_ACCURACY_DROP).value()).isNull();
    assertThat(check(noBaseline, TEST_ACCURACY_DROP).value()).isNull();
    // Over-forgetting needs no baseline: forget accuracy 0.0 against test 0.75 fails at LOW.
    assertThat(noBaseline.failures()).containsExactly(OVER_FORGETTING);
    assertThat(noEvidence.passed()).isTrue();
    assertThat(noEvidence.checks()).allMatch(c -> c.value() == null && c.limit() == null);
  }

  @Test
  void aModelsOverridesApplyToThatModelOnly() {
    GateSettings.Thresholds strict =
        new GateSettings.Thresholds(0.0, 0.0, 0.0, Set.of(), 0.0, Set.of());
    PromotionGate withOverride =
        new PromotionGate(new GateSettings(LIMITS, Map.of("strict", strict)));
    VersionManifest candidate = version(4, "HIGH", evidence(0.0, 0.8125, 0.75, 0.5, 0.5, 8));
    VersionManifest baseline = version(3, null, BASELINE);

    GateResult strictResult = withOverride.judge("strict", candidate, baseline);
    GateResult otherResult = withOverride.judge("other", candidate, baseline);

    assertThat(strictResult.failures()).containsExactly(RETAIN_ACCURACY_DROP);
    assertThat(check(strictResult, RETAIN_ACCURACY_DROP).limit()).isEqualTo(0.0);
    assertThat(check(strictResult, UNDER_FORGETTING).value()).isNull();
    assertThat(otherResult.passed()).isTrue();
  }

  @Test
  void aUtilityDropMeasuredExampleByExampleCarriesItsMarginOfError() {
    boolean[] before = new boolean[16];
    boolean[] after = new boolean[16];
    Arrays.fill(before, 0, 14, true);
    Arrays.fill(after, 0, 12, true);
    AccuracyChange test = AccuracyChange.between(before, after);
    GateResult result =
        gate.judge(
            "m",
            version(4, "LOW", evidence(0.5, 0.875, 0.625, 0.5, 0.5, 8)),
            version(3, null, BASELINE),
            BASELINE,
            new PromotionGate.PairedChanges(null, test));

    GateResult.Check drop = check(result, TEST_ACCURACY_DROP);
    assertThat(drop.value()).isEqualTo(0.125);
    assertThat(drop.passed()).isFalse();
    assertThat(drop.margin()).isEqualTo(test.margin()).isPositive();
    assertThat(result.describeFailures()).contains("± ");
    assertThat(check(result, RETAIN_ACCURACY_DROP).margin()).isNull();
    assertThat(check(result, OVER_FORGETTING).margin()).isNull();
  }
}
