package dev.rumstream.worker;

import dev.rumstream.avro.VersionStatus;
import dev.rumstream.worker.lifecycle.GateResult;
import dev.rumstream.worker.store.VersionManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** The worker's metrics (names are part of the dashboards and alert rules in deploy/). */
public final class WorkerMetrics {
  /**
   * Escalation reasons registered at 0 for every model, so that increase() sees the first one:
   * after the fallback failed the gate too, after a job kept failing, and `rumstream retrain`.
   */
  private static final List<String> ESCALATION_REASONS = List.of("gate", "failures");

  private final MeterRegistry registry;
  private final Counter examplesUnlearned;
  private final Counter receiptsCompleted;
  private final AtomicLong lag = new AtomicLong();
  private final AtomicReference<Double> deadlineSlack = new AtomicReference<>();
  private final Map<String, VersionManifest> latestByModel = new ConcurrentHashMap<>();
  private final Map<String, Lifecycle> lifecycleByModel = new ConcurrentHashMap<>();
  private final Map<String, GateResult> lastGateByModel = new ConcurrentHashMap<>();

  public WorkerMetrics(MeterRegistry registry, String device) {
    this.registry = registry;
    this.examplesUnlearned =
        Counter.builder("rumstream.worker.examples.unlearned")
            .description("Examples removed from models")
            .register(registry);
    this.receiptsCompleted =
        Counter.builder("rumstream.worker.receipts.completed")
            .description("COMPLETED receipts published")
            .register(registry);
    Gauge.builder("rumstream.worker.consumer.lag", lag, AtomicLong::get)
        .description("Unlearning jobs waiting on this worker's partitions")
        .register(registry);
    Gauge.builder(
            "rumstream.worker.deadline.slack",
            deadlineSlack,
            slack -> slack.get() == null ? Double.NaN : slack.get())
        .description("Seconds until the deadline of the job in progress (NaN when none)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("rumstream.worker.device.info", () -> 1)
        .tag("device", device)
        .description("The device this worker computes on")
        .register(registry);
    for (String outcome : new String[] {"completed", "failed", "reannounced"}) {
      jobs(outcome);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  private Counter jobs(String outcome) {
    return Counter.builder("rumstream.worker.jobs")
        .tag("outcome", outcome)
        .description("Unlearning jobs by outcome")
        .register(registry);
  }

  void jobFailed() {
    jobs("failed").increment();
  }

  void jobDone(VersionManifest version, boolean reannounced, Duration took) {
    jobs(reannounced ? "reannounced" : "completed").increment();
    if (!reannounced) {
      examplesUnlearned.increment(version.forgetIds().size());
      Timer.builder("rumstream.worker.job.duration")
          .tag("algorithm", version.algorithm())
          .tag("level", version.level())
          .publishPercentileHistogram()
          .register(registry)
          .record(took);
    }
    versionAnnounced(version);
  }

  void versionAnnounced(VersionManifest version) {
    lifecycle(version.modelId());
    if (latestByModel.put(version.modelId(), version) == null) {
      String model = version.modelId();
      gauge("rumstream.worker.model.version", model, v -> (double) v.version());
      gauge("rumstream.worker.forget.accuracy", model, v -> v.evidence().forgetAccuracy());
      gauge("rumstream.worker.retain.accuracy", model, v -> v.evidence().retainAccuracy());
      gauge("rumstream.worker.test.accuracy", model, v -> v.evidence().testAccuracy());
      gauge("rumstream.worker.mia", model, v -> v.evidence().mia());
    }
  }

  private void gauge(String name, String model, Function<VersionManifest, Double> value) {
    Gauge.builder(
            name,
            latestByModel,
            byModel -> {
              Double v = value.apply(byModel.get(model));
              return v == null ? Double.NaN : v;
            })
        .tag("model", model)
        .register(registry);
  }

  void receiptsCompleted(int count) {
    receiptsCompleted.increment(count);
  }

  void lag(long records) {
    lag.set(records);
  }

  void deadlineSlack(Double seconds) {
    deadlineSlack.set(seconds);
  }

  /**
   * Counts the gate's verdict, and each failed check; every check judged gets its series, and the
   * last judged candidate's value, margin of error and limit of each check (NaN where none).
   */
  void gateJudged(String model, GateResult result) {
    lifecycle(model);
    gateOutcome(model, result.passed() ? "passed" : "failed").increment();
    if (lastGateByModel.put(model, result) == null) {
      for (GateResult.Check check : result.checks()) {
        checkGauge(
            "rumstream.worker.gate.check.value", model, check.name(), GateResult.Check::value);
        checkGauge(
            "rumstream.worker.gate.check.margin", model, check.name(), GateResult.Check::margin);
        checkGauge(
            "rumstream.worker.gate.check.limit", model, check.name(), GateResult.Check::limit);
      }
    }
    for (GateResult.Check check : result.checks()) {
      Counter failures =
          modelCounter(
              "rumstream.worker.gate.failures",
              model,
              "check",
              check.name(),
              "Promotion gate checks failed by candidate versions");
      if (!check.passed()) {
        failures.increment();
      }
    }
  }

  private void checkGauge(
      String name, String model, String check, Function<GateResult.Check, Double> quantity) {
    Gauge.builder(
            name,
            lastGateByModel,
            byModel ->
                byModel.get(model).checks().stream()
                    .filter(c -> c.name().equals(check))
                    .map(quantity)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(Double.NaN))
        .tag("model", model)
        .tag("check", check)
        .description("The promotion gate's last judged candidate of the model, per check")
        .register(registry);
  }

  /** A job of {@code model} was replaced by a retrain from scratch, for {@code reason}. */
  void escalated(String model, String reason) {
    lifecycle(model);
    escalations(model, reason).increment();
  }

  /**
   * The model's versions by status (a status missing from {@code counts} has none), and the age of
   * its oldest SUPERSEDED version whose parameters still exist (null or zero when none).
   */
  void versions(String model, Map<VersionStatus, Long> counts, Duration purgeLag) {
    Lifecycle lifecycle = lifecycle(model);
    for (VersionStatus status : VersionStatus.values()) {
      lifecycle.versions.get(status).set(counts.getOrDefault(status, 0L));
    }
    lifecycle.purgeLagMillis.set(purgeLag == null ? 0 : purgeLag.toMillis());
  }

  void purged(String model, int versions) {
    lifecycle(model).purged.increment(versions);
  }

  /** The problem itself goes to /health/ready and the log; a label would make a series per text. */
  void blocked(String model, String problemOrNull) {
    lifecycle(model).blocked.set(problemOrNull != null);
  }

  private Counter gateOutcome(String model, String outcome) {
    return modelCounter(
        "rumstream.worker.gate",
        model,
        "outcome",
        outcome,
        "Candidate versions judged by the promotion gate, by outcome");
  }

  private Counter escalations(String model, String reason) {
    return modelCounter(
        "rumstream.worker.escalations",
        model,
        "reason",
        reason,
        "Unlearning jobs escalated to a retrain from scratch");
  }

  /** A counter of one model with one more label. */
  private Counter modelCounter(
      String name, String model, String label, String value, String description) {
    return Counter.builder(name)
        .tag("model", model)
        .tag(label, value)
        .description(description)
        .register(registry);
  }

  /** The model's lifecycle meters, registered (at 0) the first time the model is seen. */
  private Lifecycle lifecycle(String model) {
    Lifecycle known = lifecycleByModel.get(model);
    if (known != null) {
      return known;
    }
    Lifecycle created = new Lifecycle(registry, model);
    Lifecycle raced = lifecycleByModel.putIfAbsent(model, created);
    if (raced != null) {
      return raced;
    }
    // Registered once, by the thread whose state won: a gauge keeps the first object it is given.
    for (VersionStatus status : VersionStatus.values()) {
      Gauge.builder("rumstream.worker.versions", created.versions.get(status), AtomicLong::get)
          .tag("model", model)
          .tag("status", status.name())
          .description("The model's versions in the store, by lifecycle status")
          .register(registry);
    }
    Gauge.builder("rumstream.worker.purge.lag", created, c -> c.purgeLagMillis.get() / 1000.0)
        .tag("model", model)
        .description(
            "Age of the model's oldest SUPERSEDED version whose parameters still exist (0 when none)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("rumstream.worker.model.blocked", created, c -> c.blocked.get() ? 1 : 0)
        .tag("model", model)
        .description("1 while the model's promoted version is missing or corrupt in the store")
        .register(registry);
    gateOutcome(model, "passed");
    gateOutcome(model, "failed");
    ESCALATION_REASONS.forEach(reason -> escalations(model, reason));
    return created;
  }

  /** A model's lifecycle state, read by its gauges. */
  private static final class Lifecycle {
    final Map<VersionStatus, AtomicLong> versions = new EnumMap<>(VersionStatus.class);
    final AtomicLong purgeLagMillis = new AtomicLong();
    final AtomicBoolean blocked = new AtomicBoolean();
    final Counter purged;

    Lifecycle(MeterRegistry registry, String model) {
      for (VersionStatus status : VersionStatus.values()) {
        versions.put(status, new AtomicLong());
      }
      purged =
          Counter.builder("rumstream.worker.versions.purged")
              .tag("model", model)
              .description("Versions whose parameter files were deleted after the purge grace")
              .register(registry);
    }
  }

  /** The gate verdicts of a job's attempts and its escalation, once, when it was applied. */
  void lifecycle(String model, JobApplier.Applied applied, boolean afterFailures) {
    if (applied.alreadyStored()) {
      return;
    }
    applied.attempts().stream()
        .filter(attempt -> attempt.gate() != null)
        .forEach(attempt -> gateJudged(model, attempt.gate()));
    if (applied.version().escalated()) {
      escalated(model, afterFailures ? "failures" : "gate");
    }
  }
}
