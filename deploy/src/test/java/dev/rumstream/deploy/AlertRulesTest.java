package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/**
 * The alert rules: Prometheus accepts them ({@code promtool check rules}), they fire on the
 * situations they are for ({@code promtool test rules} over synthetic series), and Kubernetes gets
 * exactly the rules compose gets.
 */
class AlertRulesTest {
  static final JsonNode RULES = Repo.yaml(Repo.RULES);
  private static final Pattern JOB = Pattern.compile("job=\"([^\"]+)\"");

  @Test
  void kubernetesGetsTheSameRulesAsCompose() {
    JsonNode prometheusRule = Repo.yaml(Repo.PROMETHEUS_RULE);
    assertThat(prometheusRule.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(prometheusRule.path("spec").path("groups")).isEqualTo(RULES.path("groups"));
  }

  @Test
  void alertOnTheSituationsOperatorsMustActOn() {
    Map<String, String> alerts = Expressions.rules(RULES);
    assertThat(alerts)
        .containsKeys(
            "alert RumstreamDeadLettersGrowing",
            "alert RumstreamUnlearnJobsFailing",
            "alert RumstreamReceiptDeadlineAtRisk",
            "alert RumstreamWorkerDown");
    assertAlert(alerts, "RumstreamDeadLettersGrowing", "rumstream_dead_letters_total");
    assertAlert(
        alerts, "RumstreamUnlearnJobsFailing", "rumstream_worker_jobs_total", "outcome=\"failed\"");
    assertAlert(
        alerts, "RumstreamReceiptDeadlineAtRisk", "rumstream_worker_deadline_slack_seconds");
    assertAlert(alerts, "RumstreamWorkerDown", "up{job=\"rumstream-worker\"}");
    for (JsonNode group : RULES.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.path("alert").asText();
        assertThat(rule.path("labels").path("severity").asText())
            .as("severity of %s", name)
            .isIn("warning", "critical");
        assertThat(rule.path("annotations").path("summary").asText())
            .as("summary of %s", name)
            .isNotBlank();
        assertThat(rule.path("annotations").path("description").asText())
            .as("description of %s", name)
            .isNotBlank();
      }
    }
  }

  @Test
  void alertOnTheModelLifecycle() {
    Map<String, String> alerts = Expressions.rules(RULES);
    assertAlert(alerts, "RumstreamModelEscalated", "rumstream_worker_escalations_total");
    assertAlert(alerts, "RumstreamPurgeLagging", "rumstream_worker_purge_lag_seconds")
        .endsWith("> 900");
    assertAlert(alerts, "RumstreamModelBlocked", "rumstream_worker_model_blocked").endsWith("== 1");
    // Rejected candidates, not failed checks: one rejection can fail every check at once.
    assertAlert(alerts, "RumstreamGateRejecting", "rumstream_worker_gate_total{outcome=\"failed\"}")
        .endsWith("> 3");
    Map<String, String> severities = new TreeMap<>();
    RULES
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r ->
                            severities.put(
                                r.path("alert").asText(),
                                r.path("labels").path("severity").asText())));
    assertThat(severities)
        .containsEntry("RumstreamModelEscalated", "warning")
        .containsEntry("RumstreamPurgeLagging", "critical")
        .containsEntry("RumstreamModelBlocked", "critical")
        .containsEntry("RumstreamGateRejecting", "warning");
  }

  @Test
  void namesOnlyJobsThatAreScraped() {
    Set<String> jobs = new TreeSet<>();
    Repo.yaml(Repo.PROMETHEUS_CONFIG)
        .path("scrape_configs")
        .forEach(j -> jobs.add(j.path("job_name").asText()));
    Expressions.all()
        .forEach(
            (source, expression) -> {
              Matcher matcher = JOB.matcher(expression);
              while (matcher.find()) {
                assertThat(jobs).as("job named by %s", source).contains(matcher.group(1));
              }
            });
  }

  @Test
  void theForgetSetOverdueThresholdIsTwiceTheMaxWait() {
    long maxWait = KnownSettings.streamsMaxWaitSeconds();
    assertThat(Expressions.rules(RULES).get("alert RumstreamForgetSetOverdue"))
        .endsWith("> " + (2 * maxWait));
  }

  @Test
  void promtoolAcceptsTheRulesAndTheScrapeConfiguration() throws Exception {
    run(List.of(Tool.PROMTOOL.command(), "check", "rules", Repo.RULES.toString()));
    Path dir = Files.createDirectories(Path.of("target/promtool"));
    String config =
        Repo.read(Repo.PROMETHEUS_CONFIG)
            .replace(
                "/etc/prometheus/rules/*.yml", Repo.RULES.getParent().toAbsolutePath() + "/*.yml");
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    run(
        List.of(
            Tool.PROMTOOL.command(), "check", "config", "--syntax-only", configFile.toString()));
  }

  @Test
  void alertmanagerAcceptsItsConfigurationAndRoutesBySeverityAndModel() throws Exception {
    Path config = Repo.OBSERVABILITY.resolve("alertmanager/alertmanager.yml");
    run(Tool.AMTOOL, List.of(Tool.AMTOOL.command(), "check-config", config.toString()));
    JsonNode route = Repo.yaml(config).path("route");
    assertThat(route.path("group_by").toString()).contains("alertname", "model");
    List<String> severities = new ArrayList<>();
    RULES
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(r -> severities.add(r.path("labels").path("severity").asText())));
    assertThat(severities)
        .as("the severities the routes match")
        .containsOnly("warning", "critical");
    assertThat(route.path("routes").get(0).path("matchers").get(0).asText())
        .isEqualTo("severity=\"critical\"");
    assertThat(Repo.yaml(Repo.PROMETHEUS_CONFIG).path("alerting").toString())
        .as("Prometheus sends its alerts to compose's Alertmanager")
        .contains("alertmanager:" + ComposeTest.ports("alertmanager").keySet().iterator().next());
  }

  @Test
  void theAlertsFireWhenTheyShouldAndOnlyThen() throws Exception {
    Path dir = Files.createDirectories(Path.of("target/promtool"));
    String tests =
        new String(
                getClass().getResourceAsStream("/alert-tests.yml").readAllBytes(),
                StandardCharsets.UTF_8)
            .replace("RULES_FILE", Repo.RULES.toAbsolutePath().toString());
    Path file = dir.resolve("alert-tests.yml");
    Files.writeString(file, tests);
    run(List.of(Tool.PROMTOOL.command(), "test", "rules", file.toString()));
  }

  /** Asserts that the named alert's expression mentions every fragment. */
  private static AbstractStringAssert<?> assertAlert(
      Map<String, String> alerts, String alert, String... fragments) {
    return assertThat(alerts.get("alert " + alert)).contains(fragments);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    run(Tool.PROMTOOL, command);
  }

  private static void run(Tool tool, List<String> command)
      throws IOException, InterruptedException {
    Process process = tool.start(command, true);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
  }

  static List<String> alertNames() {
    List<String> names = new ArrayList<>();
    RULES
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> names.add(r.path("alert").asText())));
    return names;
  }
}
