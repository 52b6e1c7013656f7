package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.VersionStatus;
import dev.rumstream.worker.lifecycle.GateResult;
import dev.rumstream.worker.lifecycle.GateResult.Check;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The lifecycle metrics as Prometheus scrapes them: the names the dashboard and alerts query. */
class WorkerMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final WorkerMetrics metrics = new WorkerMetrics(registry, "cpu");

  private static GateResult gate(boolean underForgettingPassed, boolean overForgettingPassed) {
    return new GateResult(
        underForgettingPassed && overForgettingPassed,
        3L,
        List.of(
            new Check("retain-accuracy-drop", 0.01, 0.02, true),
            new Check("under-forgetting", 0.3, 0.1, underForgettingPassed),
            new Check("over-forgetting", 0.0, 0.1, overForgettingPassed)));
  }

  @Test
  void countsGateOutcomesAndEachFailedCheck() {
    metrics.gateJudged("m", gate(true, true));
    metrics.gateJudged("m", gate(false, false));
    metrics.gateJudged("m", gate(false, true));

    assertThat(sample("rumstream_worker_gate_total", "model=\"m\",outcome=\"passed\""))
        .isEqualTo(1);
    assertThat(sample("rumstream_worker_gate_total", "model=\"m\",outcome=\"failed\""))
        .isEqualTo(2);
    assertThat(
            sample(
                "rumstream_worker_gate_failures_total", "check=\"under-forgetting\",model=\"m\""))
        .isEqualTo(2);
    assertThat(
            sample("rumstream_worker_gate_failures_total", "check=\"over-forgetting\",model=\"m\""))
        .isEqualTo(1);
    // A check that never failed still has its series, at 0, for rate() and the dashboard.
    assertThat(
            sample(
                "rumstream_worker_gate_failures_total",
                "check=\"retain-accuracy-drop\",model=\"m\""))
        .isEqualTo(0);
  }

  @Test
  void showsTheLastJudgedCandidatesValueMarginAndLimitPerCheck() {
    metrics.gateJudged("m", gate(true, true));
    metrics.gateJudged(
        "m",
        new GateResult(
            false,
            4L,
            List.of(
                new Check("retain-accuracy-drop", 0.03125, 0.02, false, 0.015625),
                new Check("under-forgetting", 0.25, 0.5, true),
                new Check("over-forgetting", null, null, true))));

    String retain = "check=\"retain-accuracy-drop\",model=\"m\"";
    assertThat(sample("rumstream_worker_gate_check_value", retain)).isEqualTo(0.03125);
    assertThat(sample("rumstream_worker_gate_check_margin", retain)).isEqualTo(0.015625);
    assertThat(sample("rumstream_worker_gate_check_limit", retain)).isEqualTo(0.02);
    String under = "check=\"under-forgetting\",model=\"m\"";
    assertThat(sample("rumstream_worker_gate_check_value", under)).isEqualTo(0.25);
    assertThat(sample("rumstream_worker_gate_check_margin", under)).isNaN();
    assertThat(sample("rumstream_worker_gate_check_value", "check=\"over-forgetting\",model=\"m\""))
        .as("not applicable this time")
        .isNaN();
  }

  @Test
  void countsEscalationsByReasonFromZero() {
    metrics.escalated("m", "gate");
    metrics.escalated("m", "gate");
    metrics.escalated("m", "failures");

    assertThat(sample("rumstream_worker_escalations_total", "model=\"m\",reason=\"gate\""))
        .isEqualTo(2);
    assertThat(sample("rumstream_worker_escalations_total", "model=\"m\",reason=\"failures\""))
        .isEqualTo(1);
  }

  @Test
  void exposesVersionsByStatusAndThePurgeLag() {
    metrics.versions(
        "m",
        Map.of(VersionStatus.PROMOTED, 1L, VersionStatus.SUPERSEDED, 4L),
        Duration.ofSeconds(90));

    assertThat(sample("rumstream_worker_versions", "model=\"m\",status=\"PROMOTED\"")).isEqualTo(1);
    assertThat(sample("rumstream_worker_versions", "model=\"m\",status=\"SUPERSEDED\""))
        .isEqualTo(4);
    for (String none : List.of("CANDIDATE", "REJECTED", "PURGED")) {
      assertThat(sample("rumstream_worker_versions", "model=\"m\",status=\"" + none + "\""))
          .as(none)
          .isEqualTo(0);
    }
    assertThat(sample("rumstream_worker_purge_lag_seconds", "model=\"m\"")).isEqualTo(90);

    // Purged: the counts move and the lag falls to 0.
    metrics.versions(
        "m", Map.of(VersionStatus.PROMOTED, 1L, VersionStatus.PURGED, 4L), Duration.ZERO);
    metrics.purged("m", 4);
    assertThat(sample("rumstream_worker_versions", "model=\"m\",status=\"SUPERSEDED\""))
        .isEqualTo(0);
    assertThat(sample("rumstream_worker_versions", "model=\"m\",status=\"PURGED\"")).isEqualTo(4);
    assertThat(sample("rumstream_worker_purge_lag_seconds", "model=\"m\"")).isEqualTo(0);
    assertThat(sample("rumstream_worker_versions_purged_total", "model=\"m\"")).isEqualTo(4);
  }

  @Test
  void showsABlockedModelUntilItIsUnblocked() {
    metrics.blocked("m", "v7 params.bin: checksum mismatch");
    metrics.blocked("other", null);
    assertThat(sample("rumstream_worker_model_blocked", "model=\"m\"")).isEqualTo(1);
    assertThat(sample("rumstream_worker_model_blocked", "model=\"other\"")).isEqualTo(0);

    metrics.blocked("m", null);
    assertThat(sample("rumstream_worker_model_blocked", "model=\"m\"")).isEqualTo(0);
  }

  @Test
  void registersEveryLifecycleSeriesOfAModelTheFirstTimeItIsSeen() {
    metrics.blocked("m", null);
    String scrape = registry.scrape();
    for (String series :
        List.of(
            "rumstream_worker_gate_total{model=\"m\",outcome=\"passed\"} 0",
            "rumstream_worker_gate_total{model=\"m\",outcome=\"failed\"} 0",
            "rumstream_worker_escalations_total{model=\"m\",reason=\"gate\"} 0",
            "rumstream_worker_escalations_total{model=\"m\",reason=\"failures\"} 0",
            "rumstream_worker_versions{model=\"m\",status=\"CANDIDATE\"} 0",
            "rumstream_worker_versions{model=\"m\",status=\"PROMOTED\"} 0",
            "rumstream_worker_versions{model=\"m\",status=\"REJECTED\"} 0",
            "rumstream_worker_versions{model=\"m\",status=\"SUPERSEDED\"} 0",
            "rumstream_worker_versions{model=\"m\",status=\"PURGED\"} 0",
            "rumstream_worker_versions_purged_total{model=\"m\"} 0",
            "rumstream_worker_purge_lag_seconds{model=\"m\"} 0",
            "rumstream_worker_model_blocked{model=\"m\"} 0")) {
      assertThat(scrape).as(series).containsPattern(Pattern.quote(series) + "(\\.0)?\\n");
    }
  }

  /** The value of the series {@code name{labels}} in the scrape; fails when it is absent. */
  private double sample(String name, String labels) {
    String scrape = registry.scrape();
    Matcher matcher =
        Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$")
            .matcher(scrape);
    assertThat(matcher.find()).as("%s{%s} in%n%s", name, labels, scrape).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
