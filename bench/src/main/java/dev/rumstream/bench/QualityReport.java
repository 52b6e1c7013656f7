package dev.rumstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The quality benchmark's summary: the console table, the Markdown table and the plots. */
final class QualityReport {

  private static final PrintStream OUT = System.out;

  private QualityReport() {}

  static int replot(Path file) throws IOException {
    JsonNode root = BenchJson.MAPPER.readTree(file.toFile());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode r : root.get("rows")) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("algorithm", r.get("algorithm").asText());
      row.put("variant", r.get("variant").asText());
      row.put("seed", r.get("seed").asLong());
      for (String key :
          List.of(
              "tow",
              "tow_mia",
              "forget_acc",
              "retain_acc",
              "test_acc",
              "mia",
              "seconds",
              "retrain_seconds")) {
        row.put(key, r.get(key).asDouble());
      }
      rows.add(row);
    }
    String name = root.get("parameters").get("profile").asText();
    JsonNode label = root.get("parameters").get("tuningLabel");
    OUT.printf("%s: %d rows, complete=%s%n", file, rows.size(), root.get("complete").asBoolean());
    List<Summary> summary = Summary.of(rows);
    printSummary(summary, name);
    Plots.draw(
        summary,
        name,
        label == null ? "untuned defaults" : label.asText(),
        file.toAbsolutePath().getParent());
    RetainLadder.report(
        summary,
        RetainLadder.policies(root.get("parameters")),
        name,
        file.toAbsolutePath().getParent());
    return 0;
  }

  static void printSummary(List<Summary> summary, String profile) {
    OUT.printf(
        Locale.ROOT,
        "%nsummary, profile %s: mean over seeds; ± = 95%% CI half-width t(0.975, n-1)·SEM; "
            + "cost = method wall time / retraining wall time of the same seed%n",
        profile);
    OUT.printf(
        Locale.ROOT,
        "%-13s %-8s %2s  %-17s %-17s %7s %7s %7s %6s %8s %7s%n",
        "algorithm",
        "variant",
        "n",
        "ToW",
        "ToW-MIA",
        "acc_S",
        "acc_R",
        "acc_te",
        "MIA",
        "seconds",
        "cost");
    for (Summary s : summary) {
      OUT.print(row("%-13s %-8s %2d  %-17s %-17s %7.4f %7.4f %7.4f %6.3f %8.1f %7.3f%n", s));
    }
    OUT.println();
    OUT.println(markdownTable(summary));
  }

  /** The summary as a Markdown table (for RESULTS.md). */
  static String markdownTable(List<Summary> summary) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| algorithm | variant | n | ToW | ToW-MIA | acc S | acc R | acc test | MIA | seconds | cost (× retrain) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Summary s : summary) {
      sb.append(row("| %s | %s | %d | %s | %s | %.4f | %.4f | %.4f | %.3f | %.1f | %.3f |%n", s));
    }
    return sb.toString();
  }

  /** One summary row in {@code format}; the console and Markdown tables list the same columns. */
  private static String row(String format, Summary s) {
    return String.format(
        Locale.ROOT,
        format,
        s.algorithm(),
        s.variant(),
        s.n(),
        s.tow().format(),
        s.towMia().format(),
        s.forgetAcc(),
        s.retainAcc(),
        s.testAcc(),
        s.mia(),
        s.seconds(),
        s.cost().mean());
  }
}
