package dev.rumstream.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One (algorithm, variant) of the quality benchmark aggregated over seeds: ToW and ToW-MIA as mean
 * and 95% CI (t_{0.975, n-1} · SEM, as the paper's code), the other figures as means.
 */
record Summary(
    String algorithm,
    String variant,
    int n,
    Interval tow,
    Interval towMia,
    double forgetAcc,
    double retainAcc,
    double testAcc,
    double mia,
    double seconds,
    Interval cost) {

  /** A mean and the half-width of its 95% confidence interval (NaN for a single seed). */
  record Interval(double mean, double halfWidth) {
    String format() {
      return Double.isNaN(halfWidth)
          ? String.format(Locale.ROOT, "%.4f", mean)
          : String.format(Locale.ROOT, "%.4f ± %.4f", mean, halfWidth);
    }

    static Interval of(double[] values) {
      int n = values.length;
      double mean = 0;
      for (double v : values) {
        mean += v;
      }
      mean /= n;
      if (n < 2) {
        return new Interval(mean, Double.NaN);
      }
      double ss = 0;
      for (double v : values) {
        ss += (v - mean) * (v - mean);
      }
      double sem = Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
      return new Interval(mean, tQuantile975(n - 1) * sem);
    }
  }

  /** Two-sided 95% Student t quantiles t_{0.975, df} for df 1..30; the normal 1.96 beyond. */
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042
  };

  static double tQuantile975(int df) {
    return df <= T975.length ? T975[df - 1] : 1.96;
  }

  /** Groups rows (as written to the JSON) by algorithm and variant, in first-seen order. */
  static List<Summary> of(List<Map<String, Object>> rows) {
    Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      groups
          .computeIfAbsent(
              row.get("algorithm") + "\u0000" + row.get("variant"), k -> new ArrayList<>())
          .add(row);
    }
    List<Summary> out = new ArrayList<>();
    for (List<Map<String, Object>> g : groups.values()) {
      out.add(
          new Summary(
              (String) g.get(0).get("algorithm"),
              (String) g.get(0).get("variant"),
              g.size(),
              Interval.of(values(g, "tow")),
              Interval.of(values(g, "tow_mia")),
              mean(values(g, "forget_acc")),
              mean(values(g, "retain_acc")),
              mean(values(g, "test_acc")),
              mean(values(g, "mia")),
              mean(values(g, "seconds")),
              Interval.of(
                  g.stream()
                      .mapToDouble(r -> num(r, "seconds") / num(r, "retrain_seconds"))
                      .toArray())));
    }
    return out;
  }

  private static double[] values(List<Map<String, Object>> rows, String key) {
    return rows.stream().mapToDouble(r -> num(r, key)).toArray();
  }

  private static double num(Map<String, Object> row, String key) {
    return ((Number) row.get(key)).doubleValue();
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
