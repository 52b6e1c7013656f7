package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard is well formed and shows what operators need; its metrics are checked in
 * ExposedMetricsIT.
 */
class DashboardTest {
  static final JsonNode DASHBOARD = Repo.json(Repo.DASHBOARD);

  static Set<String> datasourceUids() {
    Set<String> uids = new TreeSet<>();
    for (JsonNode panel : Expressions.panels(DASHBOARD)) {
      if (panel.has("datasource")) {
        uids.add(panel.path("datasource").path("uid").asText());
      }
      panel.path("targets").forEach(t -> uids.add(t.path("datasource").path("uid").asText()));
    }
    return uids;
  }

  @Test
  void isAWellFormedDashboard() {
    assertThat(DASHBOARD.path("uid").asText()).isEqualTo("rumstream");
    assertThat(DASHBOARD.path("title").asText()).isNotBlank();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : Expressions.panels(DASHBOARD)) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt()))
          .as("panel id of '%s' is unique", title)
          .isTrue();
      assertThat(panel.path("gridPos").path("w").asInt())
          .as("width of '%s'", title)
          .isBetween(1, 24);
      if (!panel.path("type").asText().equals("row")) {
        assertThat(title).isNotBlank();
        assertThat(panel.path("targets")).as("queries of '%s'", title).isNotEmpty();
        panel
            .path("targets")
            .forEach(
                t -> assertThat(t.path("expr").asText()).as("query of '%s'", title).isNotBlank());
      }
    }
    assertThat(datasourceUids())
        .as("every panel queries the provisioned Prometheus")
        .containsExactly("prometheus");
  }

  @Test
  void showsIntakeWindowsJobsEvidenceAndStreamsHealth() {
    Set<String> metrics = new TreeSet<>();
    Expressions.dashboard(DASHBOARD).values().forEach(e -> metrics.addAll(PromQl.metricNames(e)));
    assertThat(metrics)
        .contains(
            // deletion intake
            "rumstream_requests_accepted_total",
            "rumstream_requests_rejected_total",
            "rumstream_requests_duplicate_total",
            "rumstream_dead_letters_total",
            // open windows against their deadline, forget-set size and memorization mix
            "rumstream_open_forget_set_oldest_age_seconds",
            "rumstream_forget_set_examples_bucket",
            "rumstream_forget_set_examples_level_total",
            "rumstream_forget_set_examples_unscored_total",
            // job lag and durations
            "rumstream_worker_consumer_lag",
            "rumstream_worker_job_duration_seconds_bucket",
            "rumstream_worker_jobs_total",
            // unlearning evidence per model version
            "rumstream_worker_model_version",
            "rumstream_worker_forget_accuracy",
            "rumstream_worker_retain_accuracy",
            "rumstream_worker_test_accuracy",
            "rumstream_worker_mia",
            // Streams health
            "kafka_stream_alive_stream_threads",
            "kafka_stream_failed_stream_threads_total");
    List<String> titles =
        Expressions.panels(DASHBOARD).stream()
            .filter(p -> p.path("type").asText().equals("row"))
            .map(p -> p.path("title").asText())
            .toList();
    assertThat(titles)
        .containsExactly(
            "Deletion intake",
            "Forget sets",
            "Unlearning jobs",
            "Unlearning evidence per model version",
            "Model lifecycle",
            "Streams health");
  }

  /** The panels below the row titled {@code title}, up to the next row. */
  static List<JsonNode> rowPanels(String title) {
    List<JsonNode> panels = new ArrayList<>();
    boolean inRow = false;
    for (JsonNode panel : DASHBOARD.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        inRow = panel.path("title").asText().equals(title);
      } else if (inRow) {
        panels.add(panel);
      }
    }
    return panels;
  }

  @Test
  void showsTheModelLifecyclePerModel() {
    List<JsonNode> panels = rowPanels("Model lifecycle");
    Set<String> metrics = new TreeSet<>();
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        metrics.addAll(PromQl.metricNames(expr));
        assertThat(expr)
            .as("query of '%s' filtered by the model variable", panel.path("title").asText())
            .contains("model=~\"$model\"");
      }
    }
    assertThat(metrics)
        .containsExactlyInAnyOrder(
            "rumstream_worker_versions",
            "rumstream_worker_gate_total",
            "rumstream_worker_gate_failures_total",
            "rumstream_worker_escalations_total",
            "rumstream_worker_purge_lag_seconds",
            "rumstream_worker_model_blocked",
            "rumstream_worker_gate_check_value",
            "rumstream_worker_gate_check_margin",
            "rumstream_worker_gate_check_limit");
    assertThat(panels)
        .extracting(p -> p.path("title").asText())
        .containsExactly(
            "Versions by status",
            "Gate outcomes and failures by check",
            "Escalations to a retrain from scratch",
            "Purge lag",
            "Blocked models",
            "Utility drops of the last judged candidate, with margins and limits");
  }

  @Test
  void drawsThePurgeLagThresholdOfItsAlert() {
    String alert = Expressions.rules(AlertRulesTest.RULES).get("alert RumstreamPurgeLagging");
    Matcher threshold = Pattern.compile("> (\\d+)$").matcher(alert);
    assertThat(threshold.find()).as("threshold of %s", alert).isTrue();
    JsonNode purgeLag =
        rowPanels("Model lifecycle").stream()
            .filter(p -> p.path("title").asText().equals("Purge lag"))
            .findFirst()
            .orElseThrow();
    List<Integer> steps = new ArrayList<>();
    purgeLag
        .path("fieldConfig")
        .path("defaults")
        .path("thresholds")
        .path("steps")
        .forEach(step -> steps.add(step.path("value").asInt()));
    assertThat(steps).contains(Integer.parseInt(threshold.group(1)));
    assertThat(
            purgeLag
                .path("fieldConfig")
                .path("defaults")
                .path("custom")
                .path("thresholdsStyle")
                .path("mode")
                .asText())
        .as("the threshold is drawn")
        .startsWith("line");
  }

  @Test
  void drawsTheWindowDeadlineAtTheStreamsAppsMaxWait() {
    long maxWait = KnownSettings.streamsMaxWaitSeconds();
    JsonNode constant = null;
    for (JsonNode variable : DASHBOARD.path("templating").path("list")) {
      if (variable.path("name").asText().equals("max_wait_seconds")) {
        constant = variable;
      }
    }
    assertThat(constant).as("the dashboard constant max_wait_seconds").isNotNull();
    assertThat(constant.path("type").asText()).isEqualTo("constant");
    assertThat(Long.parseLong(constant.path("query").asText()))
        .as("rumstream.window.max.wait in seconds")
        .isEqualTo(maxWait);
    assertThat(Expressions.dashboard(DASHBOARD).values()).contains("vector($max_wait_seconds)");
  }

  @Test
  void letsTheEvidenceBeFilteredByModel() {
    assertThat(Expressions.dashboard(DASHBOARD)).containsKey("dashboard variable $model");
    long filtered =
        Expressions.dashboard(DASHBOARD).values().stream()
            .filter(e -> e.contains("rumstream_worker_forget_accuracy"))
            .filter(e -> e.contains("$model"))
            .count();
    assertThat(filtered).isPositive();
  }
}
