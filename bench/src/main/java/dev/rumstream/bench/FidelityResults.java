package dev.rumstream.bench;

import static dev.rumstream.bench.BenchJson.round;
import static dev.rumstream.bench.Machine.loadAverage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rumstream.bench.FidelityEstimate.Estimator;
import dev.rumstream.bench.FidelityEstimate.Report;
import dev.rumstream.engine.data.ImageDataset;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * What the proxy-fidelity benchmark writes: the results file (saved after every estimator model),
 * the per-example scores, and the console summary.
 */
final class FidelityResults {

  private static final PrintStream OUT = System.out;

  private final Path outDir;

  FidelityResults(Path outDir) {
    this.outDir = outDir;
  }

  static void print(Report report, Overhead overhead, int k, double fraction) {
    OUT.printf(
        Locale.ROOT,
        "%nmemorization estimate: K = %d models on %.0f%% subsets; mean mem %.4f, share above "
            + "0.5 %.4f%n",
        k,
        fraction * 100,
        report.memMean(),
        report.memAboveHalf());
    OUT.printf(
        Locale.ROOT,
        "split-half reliability (even vs odd models): Spearman %s; Spearman-Brown for all K: "
            + "%.3f%n",
        report.splitHalf().format(),
        report.spearmanBrown());
    OUT.printf(Locale.ROOT, "%-20s %-28s %s%n", "proxy", "Spearman vs mem [95% CI]", "examples");
    report
        .byProxy()
        .forEach((name, c) -> OUT.printf(Locale.ROOT, "%-20s %-28s %d%n", name, c.format(), c.n()));
    report
        .byModels()
        .forEach(
            (models, rhos) ->
                OUT.printf(
                    Locale.ROOT,
                    "with the first %3d models: %s%n",
                    models,
                    rhos.entrySet().stream()
                        .map(
                            e ->
                                String.format(
                                    Locale.ROOT,
                                    "%s %+.3f",
                                    e.getKey().toLowerCase(Locale.ROOT),
                                    e.getValue()))
                        .collect(Collectors.joining(", "))));
    OUT.println(overhead.describe());
  }

  void save(
      Map<String, Object> parameters,
      Instant startedAt,
      String loadBefore,
      Overhead overhead,
      Estimator estimator,
      Report report,
      ImageDataset train,
      Map<String, double[]> proxies,
      boolean complete)
      throws IOException {
    Files.createDirectories(outDir);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "proxy-fidelity");
    root.put("complete", complete);
    root.put("date", startedAt.toString());
    root.put("updated", Instant.now().toString());
    root.put("loadAverageBefore", loadBefore);
    root.put("loadAverageNow", loadAverage());
    root.put("machine", Machine.describe());
    root.put("parameters", parameters);
    root.put("models", estimator.models());
    Map<String, Object> correlations = new LinkedHashMap<>();
    report
        .byProxy()
        .forEach(
            (name, c) ->
                correlations.put(
                    name,
                    Map.of(
                        "spearman",
                        round(c.rho(), 4),
                        "ci95",
                        List.of(round(c.low(), 4), round(c.high(), 4)),
                        "examples",
                        c.n())));
    root.put("spearmanVsMemorization", correlations);
    root.put("splitHalfSpearman", round(report.splitHalf().rho(), 4));
    root.put("spearmanBrown", round(report.spearmanBrown(), 4));
    root.put("spearmanByModels", report.byModels());
    root.put("memorizationMean", round(report.memMean(), 4));
    root.put("memorizationShareAboveHalf", round(report.memAboveHalf(), 4));
    root.put("cost", overhead.toJson());
    BenchJson.write(outDir.resolve("proxy-fidelity.json"), root);
    writeScores(estimator, train, proxies);
  }

  /**
   * Puts a new overhead measurement into the results file (made by an earlier full run), or into a
   * new one.
   */
  void replaceCost(Overhead overhead) throws IOException {
    Files.createDirectories(outDir);
    Path file = outDir.resolve("proxy-fidelity.json");
    ObjectNode root =
        Files.exists(file)
            ? (ObjectNode) BenchJson.MAPPER.readTree(file.toFile())
            : BenchJson.MAPPER.createObjectNode();
    root.set("cost", BenchJson.MAPPER.valueToTree(overhead.toJson()));
    BenchJson.write(file, root);
    OUT.println("cost section of " + file + " replaced");
  }

  /**
   * Per example: id, label, held-out count, mem estimate and every proxy (gzip CSV, to redo any
   * analysis).
   */
  private void writeScores(Estimator estimator, ImageDataset train, Map<String, double[]> proxies) {
    Path file = outDir.resolve("proxy-fidelity-scores.csv.gz");
    Path tmp = outDir.resolve("proxy-fidelity-scores.csv.gz.tmp");
    double[] mem = estimator.memorization();
    int[] heldOut = estimator.heldOutCounts();
    try (PrintWriter w =
        new PrintWriter(
            new GZIPOutputStream(Files.newOutputStream(tmp)), false, StandardCharsets.UTF_8)) {
      w.print("id,label,models_held_out,mem");
      proxies.keySet().forEach(name -> w.print("," + name.toLowerCase(Locale.ROOT)));
      w.println();
      for (int row = 0; row < train.size(); row++) {
        w.printf(
            Locale.ROOT, "%d,%d,%d,%.6f", train.id(row), train.label(row), heldOut[row], mem[row]);
        for (double[] values : proxies.values()) {
          w.printf(Locale.ROOT, ",%.6g", values[row]);
        }
        w.println();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
