package dev.rumstream.bench;

import dev.rumstream.engine.data.ImageDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * The proxy-fidelity benchmark's statistics: the subsampled memorization estimate, the proxies'
 * Spearman correlations with it, and its split-half reliability.
 */
final class FidelityEstimate {

  private FidelityEstimate() {}

  record ModelResult(double inAccuracy, double outAccuracy) {}

  /**
   * Per-model correctness on every example and membership of its subset; the estimate can be taken
   * over any subset of the models (all, halves, the first k).
   */
  static final class Estimator {
    private final int n;
    private final List<BitSet> members = new ArrayList<>();
    private final List<BitSet> correct = new ArrayList<>();

    Estimator(int n) {
      this.n = n;
    }

    ModelResult add(int[] rows, boolean[] isCorrect) {
      BitSet in = new BitSet(n);
      for (int row : rows) {
        in.set(row);
      }
      BitSet ok = new BitSet(n);
      int inRight = 0;
      int outRight = 0;
      for (int row = 0; row < n; row++) {
        if (isCorrect[row]) {
          ok.set(row);
          if (in.get(row)) {
            inRight++;
          } else {
            outRight++;
          }
        }
      }
      members.add(in);
      correct.add(ok);
      return new ModelResult((double) inRight / rows.length, (double) outRight / (n - rows.length));
    }

    int models() {
      return members.size();
    }

    double[] memorization() {
      return memorization(m -> true);
    }

    /**
     * mem_i = (share of the selected models with i in their subset that get i right) − (the same
     * over the models that held i out); NaN where either side has no model.
     */
    double[] memorization(IntPredicate selected) {
      double[] mem = new double[n];
      for (int row = 0; row < n; row++) {
        int inCount = 0;
        int inRight = 0;
        int outCount = 0;
        int outRight = 0;
        for (int m = 0; m < members.size(); m++) {
          if (!selected.test(m)) {
            continue;
          }
          boolean ok = correct.get(m).get(row);
          if (members.get(m).get(row)) {
            inCount++;
            inRight += ok ? 1 : 0;
          } else {
            outCount++;
            outRight += ok ? 1 : 0;
          }
        }
        mem[row] =
            inCount == 0 || outCount == 0
                ? Double.NaN
                : (double) inRight / inCount - (double) outRight / outCount;
      }
      return mem;
    }

    int[] heldOutCounts() {
      int[] counts = new int[n];
      for (BitSet in : members) {
        for (int row = 0; row < n; row++) {
          counts[row] += in.get(row) ? 0 : 1;
        }
      }
      return counts;
    }
  }

  /**
   * A Spearman correlation with its 95% interval (Fisher z with Fieller's variance 1.06 / (n − 3)).
   */
  record Correlation(double rho, double low, double high, int n) {
    static Correlation of(double[] a, double[] b) {
      List<double[]> pairs = new ArrayList<>();
      for (int i = 0; i < a.length; i++) {
        if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
          pairs.add(new double[] {a[i], b[i]});
        }
      }
      int n = pairs.size();
      if (n < 4) {
        return new Correlation(Double.NaN, Double.NaN, Double.NaN, n);
      }
      double rho =
          new SpearmansCorrelation()
              .correlation(
                  pairs.stream().mapToDouble(p -> p[0]).toArray(),
                  pairs.stream().mapToDouble(p -> p[1]).toArray());
      double z = atanh(rho);
      double half = 1.96 * Math.sqrt(1.06 / (n - 3));
      return new Correlation(rho, Math.tanh(z - half), Math.tanh(z + half), n);
    }

    private static double atanh(double x) {
      return 0.5 * Math.log((1 + x) / (1 - x));
    }

    String format() {
      return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", rho, low, high);
    }
  }

  /**
   * What one estimate says: each proxy's correlation with mem, the split-half reliability of mem
   * (even against odd models, and Spearman–Brown-corrected to all K), and the correlations over the
   * first k models.
   */
  record Report(
      int models,
      Map<String, Correlation> byProxy,
      Correlation splitHalf,
      double spearmanBrown,
      Map<Integer, Map<String, Double>> byModels,
      double memMean,
      double memAboveHalf) {
    String brief() {
      StringBuilder sb = new StringBuilder();
      byProxy.forEach(
          (k, c) ->
              sb.append(k.toLowerCase(Locale.ROOT))
                  .append(' ')
                  .append(String.format(Locale.ROOT, "%+.3f", c.rho()))
                  .append("  "));
      return sb.append(String.format(Locale.ROOT, "split-half %.3f", splitHalf.rho())).toString();
    }
  }

  static Report report(Estimator estimator, Map<String, double[]> proxies, ImageDataset train) {
    double[] mem = estimator.memorization();
    Map<String, Correlation> byProxy = new LinkedHashMap<>();
    proxies.forEach((name, values) -> byProxy.put(name, Correlation.of(values, mem)));
    Correlation split =
        Correlation.of(
            estimator.memorization(m -> m % 2 == 0), estimator.memorization(m -> m % 2 == 1));
    double brown = 2 * split.rho() / (1 + split.rho());
    Map<Integer, Map<String, Double>> byModels = new LinkedHashMap<>();
    List<Integer> ks = new ArrayList<>();
    for (int k = 10; k < estimator.models(); k *= 2) {
      ks.add(k);
    }
    ks.add(estimator.models());
    for (int first : ks) {
      double[] partial = estimator.memorization(m -> m < first);
      Map<String, Double> rhos = new LinkedHashMap<>();
      proxies.forEach((name, values) -> rhos.put(name, Correlation.of(values, partial).rho()));
      byModels.put(first, rhos);
    }
    double[] finite = Arrays.stream(mem).filter(Double::isFinite).toArray();
    return new Report(
        estimator.models(),
        byProxy,
        split,
        brown,
        byModels,
        Arrays.stream(finite).average().orElse(Double.NaN),
        finite.length == 0
            ? Double.NaN
            : (double) Arrays.stream(finite).filter(v -> v > 0.5).count() / finite.length);
  }
}
