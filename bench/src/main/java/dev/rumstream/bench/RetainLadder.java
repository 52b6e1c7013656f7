package dev.rumstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Cost against fidelity (issue 13, item 4): a whole policy with the retain set sampled per step,
 * from the ladder rows and the policy's own row (at the retain sample it runs with), as a table and
 * a plot; and the smallest sample whose ToW is within {@link #TOLERANCE} of the whole-retain-set
 * run.
 */
final class RetainLadder {

  static final double TOLERANCE = 0.01;
  private static final PrintStream OUT = System.out;

  /** One rung: a retain sample per step (0 = all) and the summary of its rows. */
  record Rung(int retain, Summary summary) {}

  private RetainLadder() {}

  /** The policies with a ladder and the retain sample each one's own row ran with (0 = all). */
  static Map<String, Integer> policies(JsonNode parameters) {
    Map<String, Integer> policies = new LinkedHashMap<>();
    policies.put(QualityBenchmark.FULL_RUM, parameters.path("retainCountPerStep").asInt(0));
    policies.put(
        QualityBenchmark.PRODUCT,
        parameters.path("productPolicy").path("workerJobDefaults").path("retain_count").asInt(0));
    return policies;
  }

  /**
   * The rungs of one policy, smallest sample first and the whole set last; {@code ownRetain} is the
   * sample its own row ran with.
   */
  static List<Rung> rungs(List<Summary> summary, String algorithm, int ownRetain) {
    List<Rung> rungs = new ArrayList<>();
    for (Summary s : summary) {
      if (!s.algorithm().equals(algorithm)) {
        continue;
      }
      if (s.variant().equals(QualityBenchmark.RUM_FULL)) {
        rungs.add(new Rung(ownRetain, s));
      } else if (s.variant().startsWith("retain-")) {
        String size = s.variant().substring("retain-".length());
        rungs.add(new Rung(size.equals("all") ? 0 : Integer.parseInt(size), s));
      }
    }
    rungs.sort(Comparator.comparingInt(r -> r.retain() == 0 ? Integer.MAX_VALUE : r.retain()));
    return rungs;
  }

  /**
   * Prints each policy's ladder and draws them; {@code policies} maps a policy to its own sample.
   */
  static void report(List<Summary> summary, Map<String, Integer> policies, String profile, Path dir)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(1100)
            .height(650)
            .title("Retain sample per step: cost against ToW, Fashion-MNIST small CNN, " + profile)
            .xAxisTitle("wall time / retraining wall time of the same seed (mean over seeds)")
            .yAxisTitle("ToW (1 = same as retraining)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisDecimalPattern("0.00");
    chart.getStyler().setYAxisDecimalPattern("0.000");
    chart.getStyler().setMarkerSize(9);
    boolean any = false;
    for (Map.Entry<String, Integer> policy : policies.entrySet()) {
      List<Rung> rungs = rungs(summary, policy.getKey(), policy.getValue());
      if (rungs.size() < 2) {
        continue;
      }
      any = true;
      print(policy.getKey(), rungs);
      XYSeries series =
          chart.addSeries(
              policy.getKey(),
              rungs.stream().mapToDouble(r -> r.summary().cost().mean()).toArray(),
              rungs.stream().mapToDouble(r -> r.summary().tow().mean()).toArray(),
              rungs.stream()
                  .mapToDouble(
                      r ->
                          Double.isNaN(r.summary().tow().halfWidth())
                              ? 0
                              : r.summary().tow().halfWidth())
                  .toArray());
      series.setMarker(SeriesMarkers.CIRCLE);
      for (Rung r : rungs) {
        chart.addAnnotation(
            new org.knowm.xchart.AnnotationText(
                r.retain() == 0 ? "all" : Integer.toString(r.retain()),
                r.summary().cost().mean(),
                r.summary().tow().mean() + 0.004,
                false));
      }
    }
    if (any) {
      Path file = dir.resolve("quality-" + profile + "-ladder.png");
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
      OUT.println("plot written to " + file);
    }
  }

  private static void print(String policy, List<Rung> rungs) {
    OUT.printf(Locale.ROOT, "%nretain ladder of %s:%n", policy);
    OUT.printf(Locale.ROOT, "  %-8s %-18s %-18s %s%n", "retain", "ToW", "ToW-MIA", "cost");
    for (Rung r : rungs) {
      OUT.printf(
          Locale.ROOT,
          "  %-8s %-18s %-18s %s%n",
          r.retain() == 0 ? "all" : Integer.toString(r.retain()),
          r.summary().tow().format(),
          r.summary().towMia().format(),
          r.summary().cost().format());
    }
    Rung all = rungs.get(rungs.size() - 1);
    if (all.retain() != 0) {
      OUT.println("  (no whole-retain-set run)");
      return;
    }
    Rung enough =
        rungs.stream()
            .filter(r -> r.summary().tow().mean() >= all.summary().tow().mean() - TOLERANCE)
            .findFirst()
            .orElseThrow();
    OUT.printf(
        Locale.ROOT,
        "  smallest retain sample with ToW within %.2f of the whole retain set: %s%n",
        TOLERANCE,
        enough.retain() == 0 ? "all" : Integer.toString(enough.retain()));
  }
}
