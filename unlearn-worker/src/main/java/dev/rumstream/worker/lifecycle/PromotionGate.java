package dev.rumstream.worker.lifecycle;

import dev.rumstream.engine.eval.AccuracyChange;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.worker.store.VersionManifest;
import dev.rumstream.worker.store.VersionManifest.Evidence;
import java.util.List;
import java.util.Set;

/**
 * Decides without a retrained reference whether a candidate version may serve: its utility against
 * the model's last promoted version, and whether its forget examples look like unseen ones (see
 * {@link GateSettings} for the thresholds). A check that cannot be measured does not apply and
 * passes; a NaN measurement fails, because a model that yields one is broken.
 */
public final class PromotionGate {
  public static final String RETAIN_ACCURACY_DROP = "retain-accuracy-drop";
  public static final String TEST_ACCURACY_DROP = "test-accuracy-drop";
  public static final String UNDER_FORGETTING = "under-forgetting";
  public static final String OVER_FORGETTING = "over-forgetting";

  private final GateSettings settings;

  public PromotionGate(GateSettings settings) {
    this.settings = settings;
  }

  /**
   * Judges {@code candidate} against {@code baseline}, the model's last promoted version (null when
   * there is none: the utility checks then do not apply).
   */
  public GateResult judge(String modelId, VersionManifest candidate, VersionManifest baseline) {
    return judge(modelId, candidate, baseline, baseline == null ? null : baseline.evidence());
  }

  /**
   * As {@link #judge(String, VersionManifest, VersionManifest)}, with the baseline's utility
   * measured on the candidate's evaluation samples ({@code before}) rather than as its manifest
   * records it: version 0's evidence comes from all of its data.
   */
  public GateResult judge(
      String modelId, VersionManifest candidate, VersionManifest baseline, Evidence before) {
    return judge(modelId, candidate, baseline, before, PairedChanges.UNKNOWN);
  }

  /**
   * The candidate's retain and test accuracy against the baseline's, example by example on the same
   * evaluation samples, where both models' predictions were at hand; either may be null.
   */
  public record PairedChanges(AccuracyChange retain, AccuracyChange test) {
    public static final PairedChanges UNKNOWN = new PairedChanges(null, null);
  }

  /**
   * As {@link #judge(String, VersionManifest, VersionManifest, Evidence)}, with each utility drop's
   * margin of error from {@code paired}.
   */
  public GateResult judge(
      String modelId,
      VersionManifest candidate,
      VersionManifest baseline,
      Evidence before,
      PairedChanges paired) {
    GateSettings.Thresholds limits = settings.forModel(modelId);
    Evidence now = candidate.evidence();
    MemorizationLevel level = level(candidate.level());
    List<GateResult.Check> checks =
        List.of(
            drop(
                RETAIN_ACCURACY_DROP,
                before,
                now,
                Evidence::retainAccuracy,
                limits.maxRetainDrop(),
                paired.retain()),
            drop(
                TEST_ACCURACY_DROP,
                before,
                now,
                Evidence::testAccuracy,
                limits.maxTestDrop(),
                paired.test()),
            underForgetting(now, level, limits),
            overForgetting(now, level, limits));
    return new GateResult(
        checks.stream().allMatch(GateResult.Check::passed),
        baseline == null ? null : baseline.version(),
        checks);
  }

  /**
   * How far an accuracy fell from the baseline to the candidate, against its limit: the paired
   * change with its margin of error where known (both versions on exactly the same examples), else
   * the difference of the two measurements (the baseline's may include the examples this job
   * deletes).
   */
  private static GateResult.Check drop(
      String name,
      Evidence before,
      Evidence now,
      java.util.function.ToDoubleFunction<Evidence> accuracy,
      double limit,
      AccuracyChange paired) {
    if (before == null || now == null) {
      return notApplicable(name);
    }
    if (paired != null && !Double.isNaN(paired.margin())) {
      return check(name, paired.drop(), limit, paired.margin());
    }
    return check(name, accuracy.applyAsDouble(before) - accuracy.applyAsDouble(now), limit);
  }

  /**
   * The attack should call forget examples non-members about as often as held-out test examples; a
   * held-out rate of NaN means none was held out, so there is no reference.
   */
  private static GateResult.Check underForgetting(
      Evidence now, MemorizationLevel level, GateSettings.Thresholds limits) {
    if (!forgetChecked(now, level, limits.underForgettingLevels())
        || now.mia() == null
        || now.heldOutMia() == null
        || now.heldOutMia().isNaN()) {
      return notApplicable(UNDER_FORGETTING);
    }
    return check(
        UNDER_FORGETTING,
        now.heldOutMia() - now.mia(),
        limits.maxUnderForgetting() + samplingError(now.heldOutMia(), now.forgetSize()));
  }

  /** Forget accuracy should not fall far below the test accuracy unseen examples get. */
  private static GateResult.Check overForgetting(
      Evidence now, MemorizationLevel level, GateSettings.Thresholds limits) {
    if (!forgetChecked(now, level, limits.overForgettingLevels()) || now.forgetAccuracy() == null) {
      return notApplicable(OVER_FORGETTING);
    }
    return check(
        OVER_FORGETTING,
        now.testAccuracy() - now.forgetAccuracy(),
        limits.maxOverForgetting() + samplingError(now.testAccuracy(), now.forgetSize()));
  }

  /**
   * How far a rate measured on {@code n} forget examples strays from its reference {@code p} by
   * chance alone (1.96 binomial standard errors): a small sub-batch must not fail a forgetting
   * check through sampling noise; the configured margin is what is allowed beyond it.
   */
  static double samplingError(double p, int n) {
    double rate = Double.isNaN(p) ? 0.5 : Math.min(1, Math.max(0, p));
    return 1.96 * Math.sqrt(rate * (1 - rate) / n);
  }

  private static boolean forgetChecked(
      Evidence now, MemorizationLevel level, Set<MemorizationLevel> levels) {
    return now != null && level != null && levels.contains(level) && now.forgetSize() > 0;
  }

  /** Passes when the value is at most the limit; NaN is never at most anything. */
  private static GateResult.Check check(String name, double value, double limit) {
    return check(name, value, limit, null);
  }

  private static GateResult.Check check(String name, double value, double limit, Double margin) {
    return new GateResult.Check(name, value, limit, value <= limit, margin);
  }

  private static GateResult.Check notApplicable(String name) {
    return new GateResult.Check(name, null, null, true);
  }

  private static MemorizationLevel level(String name) {
    if (name == null) {
      return null;
    }
    try {
      return MemorizationLevel.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the candidate's level is not a memorization level: " + name);
    }
  }
}
