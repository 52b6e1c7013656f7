package dev.rumstream.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The quality benchmark's PNG plots (XChart): ToW / ToW-MIA per algorithm and variant, and cost
 * against ToW.
 */
final class Plots {

  private static final PrintStream OUT = System.out;

  /** Display names in the paper's order; RUM (full) last. */
  private static final Map<String, String> ALGORITHM_LABELS = new LinkedHashMap<>();

  private static final Map<String, String> SHORT = new LinkedHashMap<>();
  private static final Map<String, String> VARIANT_LABELS = new LinkedHashMap<>();

  static {
    ALGORITHM_LABELS.put("FINE_TUNE", "Fine-tune");
    ALGORITHM_LABELS.put("L1_SPARSE", "L1-sparse");
    ALGORITHM_LABELS.put("NEG_GRAD", "NegGrad");
    ALGORITHM_LABELS.put("NEG_GRAD_PLUS", "NegGrad+");
    ALGORITHM_LABELS.put("SCRUB", "SCRUB");
    ALGORITHM_LABELS.put("RANDOM_LABEL", "Random-label");
    ALGORITHM_LABELS.put("SALUN", "SalUn");
    ALGORITHM_LABELS.put(
        QualityBenchmark.FULL_RUM, "full RUM as released (nothing / Fine-tune / SalUn)");
    ALGORITHM_LABELS.put(QualityBenchmark.RUM_NEG_GRAD_PLUS, "RUM with NegGrad+ as released");
    ALGORITHM_LABELS.put(QualityBenchmark.PRODUCT, "the product's default policy");
    ALGORITHM_LABELS.put(
        QualityBenchmark.PRODUCT_FALLBACK,
        "the product after the gate's fallback at MEDIUM and HIGH");
    SHORT.put("FINE_TUNE", "FT");
    SHORT.put("L1_SPARSE", "L1");
    SHORT.put("NEG_GRAD", "NG");
    SHORT.put("NEG_GRAD_PLUS", "NG+");
    SHORT.put("SCRUB", "SCRUB");
    SHORT.put("RANDOM_LABEL", "RL");
    SHORT.put("SALUN", "SalUn");
    SHORT.put(QualityBenchmark.FULL_RUM, "RUM");
    SHORT.put(QualityBenchmark.RUM_NEG_GRAD_PLUS, "RUM-NG+");
    SHORT.put(QualityBenchmark.PRODUCT, "product");
    SHORT.put(QualityBenchmark.PRODUCT_FALLBACK, "fallback");
    SHORT.put(QualityBenchmark.PRODUCT_FT, "FT fallback");
    ALGORITHM_LABELS.put(
        QualityBenchmark.PRODUCT_FT, "the product with Fine-tune (lr 0.01) at MEDIUM and HIGH");
    VARIANT_LABELS.put(QualityBenchmark.VANILLA, "Vanilla");
    VARIANT_LABELS.put(QualityBenchmark.SHUFFLE, "Shuffle");
    VARIANT_LABELS.put(QualityBenchmark.RUM_F, "RUM^F");
    VARIANT_LABELS.put(QualityBenchmark.RUM_FULL, "whole policies");
  }

  private Plots() {}

  static void draw(List<Summary> summary, String profile, String tuning, Path dir)
      throws IOException {
    Summary original =
        summary.stream()
            .filter(s -> s.variant().equals(QualityBenchmark.ORIGINAL))
            .findFirst()
            .orElse(null);
    List<Summary> methods =
        summary.stream().filter(s -> !s.variant().equals(QualityBenchmark.ORIGINAL)).toList();
    if (methods.isEmpty()) {
      OUT.println("no unlearning rows: no plots");
      return;
    }
    int n = methods.stream().mapToInt(Summary::n).max().orElse(0);
    towChart(
        methods,
        original,
        profile + " profile, " + tuning,
        n,
        "ToW",
        Summary::tow,
        dir.resolve("quality-" + profile + "-tow.png"));
    towChart(
        methods,
        original,
        profile + " profile, " + tuning,
        n,
        "ToW-MIA",
        Summary::towMia,
        dir.resolve("quality-" + profile + "-tow-mia.png"));
    costChart(methods, profile, n, dir.resolve("quality-" + profile + "-cost.png"));
  }

  private static void towChart(
      List<Summary> methods,
      Summary original,
      String run,
      int n,
      String metric,
      Function<Summary, Summary.Interval> value,
      Path file)
      throws IOException {
    // Whole policies (full RUM, the product default) have no Vanilla / Shuffle / RUM^F: XChart
    // takes the categories from the first series, so each is drawn as a reference line (with θo, no
    // unlearning) instead of a bar group of its own.
    List<Summary> policies =
        methods.stream().filter(s -> s.variant().equals(QualityBenchmark.RUM_FULL)).toList();
    List<String> categories = new ArrayList<>();
    for (Map.Entry<String, String> e : ALGORITHM_LABELS.entrySet()) {
      if (policies.stream().noneMatch(p -> p.algorithm().equals(e.getKey()))
          && methods.stream()
              .anyMatch(
                  s ->
                      s.algorithm().equals(e.getKey())
                          && VARIANT_LABELS.containsKey(s.variant()))) {
        categories.add(e.getValue());
      }
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1200)
            .height(650)
            .title(
                metric
                    + " vs the retrained model, Fashion-MNIST small CNN, "
                    + run
                    + " (mean, 95% CI over "
                    + n
                    + " seeds)")
            .xAxisTitle("algorithm")
            .yAxisTitle(metric + " (1 = same as retraining)")
            .build();
    Styler.ChartTheme theme = Styler.ChartTheme.XChart;
    chart.getStyler().setTheme(theme.newInstance(theme));
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setErrorBarsColor(Color.BLACK);
    chart.getStyler().setYAxisDecimalPattern("0.00");
    chart.getStyler().setOverlapped(false);
    double min = 1;
    // A run of policies alone: they are the bars.
    boolean policiesAsBars = categories.isEmpty();
    if (policiesAsBars) {
      chart.addSeries(
          VARIANT_LABELS.get(QualityBenchmark.RUM_FULL),
          policies.stream().map(p -> SHORT.getOrDefault(p.algorithm(), p.algorithm())).toList(),
          policies.stream().map(p -> (Number) value.apply(p).mean()).toList(),
          policies.stream()
              .map(
                  p ->
                      (Number)
                          (Double.isNaN(value.apply(p).halfWidth())
                              ? 0.0
                              : value.apply(p).halfWidth()))
              .toList());
    }
    for (Map.Entry<String, String> v : VARIANT_LABELS.entrySet()) {
      if (v.getKey().equals(QualityBenchmark.RUM_FULL)) {
        continue;
      }
      List<String> x = new ArrayList<>();
      List<Number> y = new ArrayList<>();
      List<Number> err = new ArrayList<>();
      boolean any = false;
      for (String category : categories) {
        String algorithm = keyOf(category);
        Summary s =
            methods.stream()
                .filter(m -> m.algorithm().equals(algorithm) && m.variant().equals(v.getKey()))
                .findFirst()
                .orElse(null);
        if (s != null) {
          any = true;
          Summary.Interval i = value.apply(s);
          x.add(category);
          y.add(i.mean());
          err.add(Double.isNaN(i.halfWidth()) ? 0.0 : i.halfWidth());
          min = Math.min(min, i.mean());
        }
      }
      if (any) {
        chart.addSeries(v.getValue(), x, y, err);
      }
    }
    if (original != null) {
      min = Math.min(min, value.apply(original).mean());
    }
    for (Summary p : policies) {
      min = Math.min(min, value.apply(p).mean());
    }
    chart.getStyler().setYAxisMin(Math.max(0, Math.floor(min * 10) / 10 - 0.1));
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setAnnotationLineColor(Color.DARK_GRAY);
    chart
        .getStyler()
        .setAnnotationLineStroke(
            new java.awt.BasicStroke(
                1.5f,
                java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER,
                10f,
                new float[] {6f, 4f},
                0f));
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    chart.getStyler().setAnnotationTextFontColor(Color.BLACK);
    if (original != null) {
      double base = value.apply(original).mean();
      chart.addAnnotation(new AnnotationLine(base, false, false));
      chart.addAnnotation(
          new AnnotationText(
              String.format(
                  java.util.Locale.ROOT, "θo, no unlearning: %s", value.apply(original).format()),
              1.0,
              base + 0.008,
              false));
    }
    double x = Math.max(1.0, categories.size() - 2.0);
    for (Summary p : policiesAsBars ? List.<Summary>of() : policies) {
      double line = value.apply(p).mean();
      chart.addAnnotation(new AnnotationLine(line, false, false));
      chart.addAnnotation(
          new AnnotationText(
              String.format(
                  java.util.Locale.ROOT,
                  "%s: %s",
                  ALGORITHM_LABELS.getOrDefault(p.algorithm(), p.algorithm()),
                  value.apply(p).format()),
              x,
              line + 0.008,
              false));
      x = Math.max(1.0, x - 1.5);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    OUT.println("plot written to " + file);
  }

  private static void costChart(List<Summary> methods, String profile, int n, Path file)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(1100)
            .height(700)
            .title(
                "Cost against ToW, Fashion-MNIST small CNN, "
                    + profile
                    + " profile (means over "
                    + n
                    + " seeds)")
            .xAxisTitle("wall time / retraining wall time of the same seed")
            .yAxisTitle("ToW (1 = same as retraining)")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisDecimalPattern("0.00");
    chart.getStyler().setMarkerSize(11);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setYAxisDecimalPattern("0.00");
    double top = methods.stream().mapToDouble(s -> s.tow().mean()).max().orElse(1);
    double bottom = methods.stream().mapToDouble(s -> s.tow().mean()).min().orElse(0);
    chart.getStyler().setYAxisMax(Math.min(1.0, top + 0.03));
    chart.getStyler().setYAxisMin(Math.max(0.0, bottom - 0.02));
    for (Map.Entry<String, String> v : VARIANT_LABELS.entrySet()) {
      List<Summary> points = methods.stream().filter(s -> s.variant().equals(v.getKey())).toList();
      if (points.isEmpty()) {
        continue;
      }
      XYSeries series =
          chart.addSeries(
              v.getValue(),
              points.stream().mapToDouble(s -> s.cost().mean()).toArray(),
              points.stream().mapToDouble(s -> s.tow().mean()).toArray());
      series.setMarker(
          switch (v.getKey()) {
            case QualityBenchmark.VANILLA -> SeriesMarkers.CIRCLE;
            case QualityBenchmark.SHUFFLE -> SeriesMarkers.SQUARE;
            case QualityBenchmark.RUM_F -> SeriesMarkers.DIAMOND;
            default -> SeriesMarkers.TRIANGLE_UP;
          });
      for (Summary s : points) {
        chart.addAnnotation(
            new AnnotationText(
                SHORT.getOrDefault(s.algorithm(), s.algorithm()),
                s.cost().mean(),
                s.tow().mean() + (top - bottom + 0.05) * 0.025,
                false));
      }
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    OUT.println("plot written to " + file);
  }

  private static String keyOf(String label) {
    return ALGORITHM_LABELS.entrySet().stream()
        .filter(e -> e.getValue().equals(label))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }
}
