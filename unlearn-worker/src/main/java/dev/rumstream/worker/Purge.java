package dev.rumstream.worker;

import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Deletes the parameters of every version a promotion superseded, once its grace has passed (step 8
 * of the flow): serving systems that follow {@code model-versions} have the grace to switch to the
 * promoted version; after it, no model that learned from deleted data can be loaded.
 */
record Purge(ModelStore store, Duration grace, Clock clock) {

  /** When the grace of the model's last unpurged version runs out. */
  Instant due(String model) {
    return store.unpurged(model).stream()
        .map(v -> v.supersededAt().plus(grace))
        .max(Instant::compareTo)
        .orElse(clock.instant());
  }

  /**
   * Purges the model's unpurged versions and returns every version superseded while the job's
   * forget set ran, purged now or by an earlier delivery of the job before a crash, so their
   * notices still go out. Idempotent.
   */
  List<VersionManifest> superseded(UnlearnJob job) {
    String model = job.getModelId();
    for (VersionManifest version : store.unpurged(model)) {
      store.purge(version, clock.instant());
    }
    // The set's versions and those it superseded are all recent: purged after it began serving.
    List<VersionManifest> versions = store.recent(model);
    Instant setStarted =
        versions.stream()
            .filter(v -> job.getForgetSetId().equals(v.forgetSetId()) && v.promotedAt() != null)
            .map(VersionManifest::promotedAt)
            .min(Instant::compareTo)
            .orElse(clock.instant());
    return versions.stream()
        .filter(
            v ->
                v.status() == VersionStatus.PURGED
                    && v.supersededAt() != null
                    && !v.supersededAt().isBefore(setStarted))
        .toList();
  }

  /** Age of the oldest superseded version whose parameters still exist (zero when none). */
  Duration lag(String model) {
    Instant now = clock.instant();
    return store.unpurged(model).stream()
        .map(v -> Duration.between(v.supersededAt(), now))
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }
}
