package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void findsTheMetricNamesAndNothingElse() {
    assertThat(
            PromQl.metricNames(
                "sum by (rule) (rate(rumstream_requests_rejected_total{rule=~\"size|ids\", job=\"x\"}[$__rate_interval]))"))
        .containsExactly("rumstream_requests_rejected_total");
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.95, sum by (le, algorithm) "
                    + "(rate(rumstream_worker_job_duration_seconds_bucket[5m])))"))
        .containsExactly("rumstream_worker_job_duration_seconds_bucket");
    assertThat(
            PromQl.metricNames(
                "up{job=\"rumstream-worker\"} == 0 or absent(up{job=\"rumstream-worker\"})"))
        .containsExactly("up");
    assertThat(
            PromQl.metricNames(
                "max(a_seconds) / on (model) group_left (version) b_info > bool 1e3 offset 5m"))
        .containsExactly("a_seconds", "b_info");
    assertThat(
            PromQl.metricNames(
                "rumstream_worker_forget_accuracy{model=~\"$model\"} - ignoring(x) "
                    + "max_over_time(c_total[1h:5m])"))
        .containsExactly("c_total", "rumstream_worker_forget_accuracy");
    assertThat(PromQl.metricNames("label_values(rumstream_worker_model_version, model)"))
        .contains("rumstream_worker_model_version");
  }

  @Test
  void histogramSeriesBelongToTheirFamily() {
    assertThat(PromQl.family("rumstream_forget_set_examples_bucket"))
        .isEqualTo("rumstream_forget_set_examples");
    assertThat(PromQl.family("rumstream_worker_job_duration_seconds_count"))
        .isEqualTo("rumstream_worker_job_duration_seconds");
    assertThat(PromQl.family("rumstream_requests_accepted_total"))
        .isEqualTo("rumstream_requests_accepted_total");
  }
}
