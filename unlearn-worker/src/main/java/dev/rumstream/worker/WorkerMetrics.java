package dev.rumstream.worker;

import dev.rumstream.worker.store.VersionManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The worker's metrics (names are part of the dashboards and alert rules in deploy/). */
public final class WorkerMetrics {
  private final MeterRegistry registry;
  private final Counter examplesUnlearned;
  private final Counter receiptsCompleted;
  private final AtomicLong lag = new AtomicLong();
  private final AtomicReference<Double> deadlineSlack = new AtomicReference<>();
  private final Map<String, VersionManifest> latestByModel = new ConcurrentHashMap<>();

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
    if (latestByModel.put(version.modelId(), version) == null) {
      String model = version.modelId();
      gauge("rumstream.worker.model.version", model, v -> (double) v.version());
      gauge("rumstream.worker.forget.accuracy", model, v -> v.evidence().forgetAccuracy());
      gauge("rumstream.worker.retain.accuracy", model, v -> v.evidence().retainAccuracy());
      gauge("rumstream.worker.test.accuracy", model, v -> v.evidence().testAccuracy());
      gauge("rumstream.worker.mia", model, v -> v.evidence().mia());
    }
  }

  private void gauge(
      String name, String model, java.util.function.Function<VersionManifest, Double> value) {
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
}
