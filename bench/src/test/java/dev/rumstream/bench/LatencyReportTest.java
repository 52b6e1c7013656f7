package dev.rumstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.avro.VersionStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A set's time splits into every attempt's algorithm, the purge grace and the worker's own. */
class LatencyReportTest {
  private static final Instant START = Instant.parse("2026-11-30T09:00:00Z");

  @Test
  void rejectedAttemptsCountAsAlgorithmsAndTheGraceIsNotOverhead() {
    List<UnlearningMetrics> attempts =
        List.of(
            attempt("job-1", 1, VersionStatus.PROMOTED, 0),
            attempt("job-2", 1, VersionStatus.REJECTED, 3_000),
            attempt("job-2", 2, VersionStatus.PROMOTED, 5_000),
            attempt("job-3", 1, VersionStatus.PROMOTED, 4_000));
    LatencyReport.SetRow set =
        new LatencyReport.SetRow(null, attempts, START, START.plusMillis(23_500), 10_000);

    assertThat(set.algorithmMs()).isEqualTo(12_000);
    assertThat(set.rejectedAlgorithmMs()).isEqualTo(3_000);
    assertThat(set.overheadMs()).isEqualTo(1_500);
  }

  @Test
  void aSetWithoutReceiptsHasNoOverhead() {
    LatencyReport.SetRow set =
        new LatencyReport.SetRow(
            null, List.of(attempt("job-1", 1, VersionStatus.PROMOTED, 0)), START, null, 10_000);

    assertThat(set.overheadMs()).isNull();
  }

  private static UnlearningMetrics attempt(
      String job, int attempt, VersionStatus status, long algorithmMillis) {
    return UnlearningMetrics.newBuilder()
        .setModelId("m")
        .setVersion(attempt)
        .setJobId(job)
        .setForgetSize(1)
        .setRetainSize(1)
        .setRetainAccuracy(0.9)
        .setTestAccuracy(0.9)
        .setWallTimeMillis(algorithmMillis)
        .setDevice("cpu")
        .setMeasuredAt(START)
        .setStatus(status)
        .setAttempt(attempt)
        .build();
  }
}
