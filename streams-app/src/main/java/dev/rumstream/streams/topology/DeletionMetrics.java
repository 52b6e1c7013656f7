package dev.rumstream.streams.topology;

import dev.rumstream.avro.ForgetExample;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.UnlearnJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The topology's own metrics (the Kafka Streams metrics are bound separately). Shared by every task
 * of one application instance; thread-safe.
 */
public final class DeletionMetrics {
  private final MeterRegistry registry;
  private final Counter accepted;
  private final Counter duplicates;
  private final Counter foldedIds;
  private final Counter late;
  private final DistributionSummary forgetSetExamples;
  private final Map<String, Long> oldestOpenSetByTask = new ConcurrentHashMap<>();

  public DeletionMetrics(MeterRegistry registry, LongSupplier wallClock) {
    this.registry = registry;
    this.accepted = counter("rumstream.requests.accepted", "Deletion requests accepted");
    this.duplicates =
        counter(
            "rumstream.requests.duplicate",
            "Deletion requests recognized as duplicates of an accepted request and not processed again");
    this.foldedIds =
        counter(
            "rumstream.requests.folded.ids", "Repeated example ids folded inside single requests");
    this.late =
        counter(
            "rumstream.requests.late",
            "Deletion requests accepted after their deadline had passed (carried out, flagged late)");
    this.forgetSetExamples =
        DistributionSummary.builder("rumstream.forget.set.examples")
            .description("Distinct examples per closed forget set")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder(
            "rumstream.open.forget.set.oldest.age", () -> oldestAgeSeconds(wallClock.getAsLong()))
        .description("Age of the oldest forget set still gathering requests (0 when none is open)")
        .baseUnit("seconds")
        .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  void accepted(int foldedDuplicateIds, boolean arrivedLate) {
    accepted.increment();
    foldedIds.increment(foldedDuplicateIds);
    if (arrivedLate) {
      late.increment();
    }
  }

  void duplicate() {
    duplicates.increment();
  }

  /** A request that was read but refused (it also reaches the dead-letter topic). */
  void rejected(String rule) {
    registry.counter("rumstream.requests.rejected", "rule", rule).increment();
  }

  /** A record sent to the dead-letter topic; stage is deserialization or processing. */
  void deadLettered(String stage) {
    registry.counter("rumstream.dead.letters", "stage", stage).increment();
  }

  void forgetSetClosed(ForgetSet set) {
    registry
        .counter("rumstream.forget.sets.emitted", "close_reason", set.getCloseReason().name())
        .increment();
    forgetSetExamples.record(set.getExamples().size());
    Map<MemorizationLevel, Long> perLevel =
        set.getExamples().stream()
            .collect(
                Collectors.groupingBy(
                    ForgetExample::getLevel,
                    () -> new EnumMap<>(MemorizationLevel.class),
                    Collectors.counting()));
    perLevel.forEach(
        (level, count) ->
            registry
                .counter("rumstream.forget.set.examples.level", "level", level.name())
                .increment(count));
    registry.counter("rumstream.forget.set.examples.unscored").increment(set.getUnscoredCount());
  }

  void jobEmitted(UnlearnJob job) {
    registry
        .counter(
            "rumstream.jobs.emitted",
            "level",
            job.getLevel().name(),
            "algorithm",
            job.getAlgorithm().name())
        .increment();
  }

  /**
   * The wall-clock time the oldest open set of a task was opened, or null when the task has none
   * open.
   */
  void oldestOpenSet(String taskId, Long openedAt) {
    if (openedAt == null) {
      oldestOpenSetByTask.remove(taskId);
    } else {
      oldestOpenSetByTask.put(taskId, openedAt);
    }
  }

  double oldestAgeSeconds(long now) {
    OptionalLong oldest = oldestOpenSetByTask.values().stream().mapToLong(Long::longValue).min();
    return oldest.isPresent() ? Math.max(0, now - oldest.getAsLong()) / 1000.0 : 0;
  }
}
