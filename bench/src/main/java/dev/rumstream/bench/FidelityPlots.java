package dev.rumstream.bench;

import dev.rumstream.bench.FidelityEstimate.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The proxy-fidelity plots: the confidence proxy against the memorization estimate, and Spearman
 * against K.
 */
final class FidelityPlots {

  private FidelityPlots() {}

  static void draw(Path dir, Report report, double[] confidence, double[] memorization)
      throws IOException {
    scatter(dir.resolve("proxy-fidelity-confidence.png"), report, confidence, memorization);
    convergence(dir.resolve("proxy-fidelity-by-k.png"), report);
  }

  private static void scatter(Path file, Report report, double[] confidence, double[] memorization)
      throws IOException {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < confidence.length; i++) {
      if (Double.isFinite(confidence[i]) && Double.isFinite(memorization[i])) {
        x.add(confidence[i]);
        y.add(memorization[i]);
      }
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(700)
            .title(
                String.format(
                    Locale.ROOT,
                    "Confidence proxy against the subsampled memorization estimate (K = %d, "
                        + "Spearman %s)",
                    report.models(),
                    report.byProxy().get("CONFIDENCE").format()))
            .xAxisTitle("confidence proxy of θo (mean true-class probability over training)")
            .yAxisTitle("memorization estimate (acc in − acc held out)")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(3);
    chart.getStyler().setLegendVisible(false);
    chart.addSeries("examples", x, y).setMarker(SeriesMarkers.CIRCLE);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    System.out.println("plot written to " + file);
  }

  private static void convergence(Path file, Report report) throws IOException {
    if (report.byModels().isEmpty()) {
      return;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(650)
            .title("Spearman correlation of each proxy with the estimate from the first K models")
            .xAxisTitle("K (estimator models)")
            .yAxisTitle("Spearman ρ")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(-1.0);
    chart.getStyler().setYAxisMax(1.0);
    List<Integer> ks = new ArrayList<>(report.byModels().keySet());
    double[] k = ks.stream().mapToDouble(Integer::doubleValue).toArray();
    for (String proxy : report.byProxy().keySet()) {
      chart.addSeries(
          proxy.toLowerCase(Locale.ROOT),
          k,
          ks.stream().mapToDouble(n -> report.byModels().get(n).get(proxy)).toArray());
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    System.out.println("plot written to " + file);
  }
}
