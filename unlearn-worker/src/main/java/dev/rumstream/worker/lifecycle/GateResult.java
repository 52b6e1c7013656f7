package dev.rumstream.worker.lifecycle;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The promotion gate's verdict on a candidate version: every check, measured against the last
 * promoted version. Kept in the version's manifest and published with it.
 *
 * @param baselineVersion the promoted version the candidate was compared with
 */
public record GateResult(boolean passed, Long baselineVersion, List<Check> checks) {
  public GateResult {
    checks = List.copyOf(checks);
  }

  /**
   * One check: a measured value and the largest value that passes, both null when the check did not
   * apply, and the value's 95 % margin of error where it is known (a utility drop measured example
   * by example against the baseline; null otherwise).
   */
  public record Check(String name, Double value, Double limit, boolean passed, Double margin) {
    public Check(String name, Double value, Double limit, boolean passed) {
      this(name, value, limit, passed, null);
    }

    /** The check as a failure reads: its name, value, margin where known, and limit. */
    public String describe() {
      if (value == null) {
        return name;
      }
      return String.format(
          Locale.ROOT,
          margin == null ? "%s %.4f > %.4f" : "%s %.4f > %.4f (± %.4f)",
          name,
          value,
          limit,
          margin);
    }
  }

  /** The names of the checks that failed, e.g. for a metric label or a log line. */
  public List<String> failures() {
    return checks.stream().filter(check -> !check.passed()).map(Check::name).toList();
  }

  /** The failed checks with their values and limits, for a log line. */
  public String describeFailures() {
    return checks.stream()
        .filter(check -> !check.passed())
        .map(Check::describe)
        .collect(Collectors.joining(", "));
  }
}
