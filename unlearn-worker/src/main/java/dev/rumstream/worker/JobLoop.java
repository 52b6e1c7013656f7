package dev.rumstream.worker;

import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.store.CorruptModelFileException;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.CorruptVersionException;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes unlearning jobs one at a time and publishes what each produced (steps 5 and 6 of the
 * flow).
 *
 * <ul>
 *   <li>A job runs on its own thread while this thread keeps polling with the partitions paused, so
 *       a job that takes minutes never exceeds {@code max.poll.interval.ms} and the worker stays in
 *       its group.
 *   <li>The version is stored durably first ({@link JobApplier}); then its announcement, its
 *       evidence, the COMPLETED receipts (after the last job of a forget set) and the job's offset
 *       are written in one Kafka transaction. A crash before the commit redelivers the job, which
 *       finds its version in the store and only announces it, so no job is applied twice and every
 *       receipt is published exactly once.
 *   <li>A failing job is retried with backoff and never skipped: later jobs of the model build on
 *       it.
 * </ul>
 */
final class JobLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(JobLoop.class);
  private static final Duration POLL = Duration.ofMillis(200);
  // Far below max.poll.interval.ms; a job's end is noticed at once regardless.
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
  private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

  private final WorkerConfig config;
  private final JobApplier applier;
  private final ModelStore store;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final ExecutorService jobThread =
      Executors.newSingleThreadExecutor(
          r ->
              new Thread(
                  () -> {
                    Devices.prepareThread();
                    r.run();
                  },
                  "unlearn-job"));
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<String> problem = new AtomicReference<>("starting");
  private final Set<TopicPartition> lostDuringJob = new HashSet<>();
  private final StoreCheck storeCheck;
  private final Purge purge;
  private Publisher publisher;
  private KafkaConsumer<String, UnlearnJob> consumer;
  private KafkaProducer<String, SpecificRecord> producer;
  private Instant lagCheckedAt = Instant.EPOCH;

  JobLoop(
      WorkerConfig config,
      JobApplier applier,
      ModelStore store,
      WorkerMetrics metrics,
      Clock clock) {
    this.config = config;
    this.applier = applier;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.storeCheck = new StoreCheck(store);
    this.purge = new Purge(store, config.purgeGrace(), clock);
  }

  /** Null while the worker is consuming normally; otherwise what keeps it from being ready. */
  String problem() {
    return problem.get();
  }

  @Override
  public void run() {
    RegistryClient registry = new RegistryClient(RegistryConfig.from(config.kafka()));
    try (KafkaConsumer<String, UnlearnJob> jobs =
            new KafkaConsumer<>(
                Clients.jobConsumer(config),
                new StringDeserializer(),
                AvroDeserializer.forClass(UnlearnJob.class, registry));
        KafkaProducer<String, SpecificRecord> announcements =
            new KafkaProducer<>(
                Clients.transactionalProducer(config),
                new StringSerializer(),
                new AvroSerializer<>(registry))) {
      this.consumer = jobs;
      this.producer = announcements;
      this.publisher = new Publisher(config, store, announcements);
      try (KafkaConsumer<String, ModelVersion> versions =
          new KafkaConsumer<>(
              Clients.reader(config),
              new StringDeserializer(),
              AvroDeserializer.forClass(ModelVersion.class, registry))) {
        storeCheck.readAnnouncements(versions, config.topic(Topic.MODEL_VERSIONS));
      }
      producer.initTransactions();
      consumer.subscribe(List.of(config.topic(Topic.UNLEARN_JOBS)), new RebalanceListener());
      problem.set(null);
      while (running.get()) {
        ConsumerRecords<String, UnlearnJob> records;
        try {
          records = consumer.poll(POLL);
        } catch (RecordDeserializationException e) {
          skipUnreadable(e);
          continue;
        }
        for (ConsumerRecord<String, UnlearnJob> record : records) {
          process(record);
        }
        updateLag();
      }
    } catch (WakeupException e) {
      log.info("Job loop woken up to stop");
    } catch (ProducerFencedException e) {
      problem.set(
          "fenced: another worker with transactional id "
              + Clients.transactionalId(config)
              + " took over");
      log.error("Stopping: {}", problem.get(), e);
    } catch (RuntimeException e) {
      problem.set("job loop failed: " + e);
      log.error("The job loop failed", e);
    } finally {
      jobThread.shutdownNow();
    }
  }

  void stop() {
    running.set(false);
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  private void process(ConsumerRecord<String, UnlearnJob> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    UnlearnJob job = record.value();
    String model = job.getModelId();
    Duration backoff = config.retryBackoff();
    Instant takenUp = clock.instant();
    int failures = 0;
    while (running.get()) {
      Instant started = clock.instant();
      Optional<String> blocked = storeCheck.problem(model);
      metrics.blocked(model, blocked.orElse(null));
      if (blocked.isPresent()) {
        problem.set("model " + model + " is blocked: " + blocked.get());
        log.error("Not applying job {}: {}", job.getJobId(), problem.get());
      } else {
        boolean escalate = failures >= config.maxJobAttempts();
        try {
          JobApplier.Applied applied = run(job, partition, escalate, started);
          if (applied == null) {
            return;
          }
          publish(record, partition, job, applied, takenUp);
          metrics.lifecycle(model, applied, escalate);
          metrics.versions(model, store.census(model), purge.lag(model));
          metrics.jobDone(
              applied.version(),
              applied.alreadyStored(),
              Duration.between(started, clock.instant()));
          problem.set(null);
          return;
        } catch (ExecutionException e) {
          // A damaged store is restored by an operator, never escalated: a retrain needs the
          // ledger.
          applier.invalidateCache();
          if (!(e.getCause() instanceof CorruptVersionException
              || e.getCause() instanceof CorruptModelFileException)) {
            failures++;
          }
          metrics.jobFailed();
          problem.set("job " + job.getJobId() + " failed: " + e.getCause().getMessage());
          log.error(
              "Job {} failed ({} of {} tries before it escalates to a retrain); retrying in {}",
              job.getJobId(),
              failures,
              config.maxJobAttempts(),
              backoff,
              e.getCause());
        } catch (KafkaException e) {
          if (e instanceof ProducerFencedException) {
            throw e;
          }
          producer.abortTransaction();
          applier.invalidateCache();
          metrics.jobFailed();
          problem.set("publishing job " + job.getJobId() + " failed: " + e.getMessage());
          log.error("Publishing job {} failed; retrying in {}", job.getJobId(), backoff, e);
        }
      }
      pollFor(backoff);
      backoff =
          backoff.multipliedBy(2).compareTo(config.maxRetryBackoff()) > 0
              ? config.maxRetryBackoff()
              : backoff.multipliedBy(2);
      if (!consumer.assignment().contains(partition)) {
        return;
      }
    }
  }

  /**
   * Runs the job on the job thread while this one keeps polling; null when its partition moved to
   * another worker meanwhile (that worker announces the stored result).
   */
  private JobApplier.Applied run(
      UnlearnJob job, TopicPartition partition, boolean escalate, Instant started)
      throws ExecutionException {
    metrics.deadlineSlack(
        job.getDeadline() == null
            ? null
            : (double) Duration.between(started, job.getDeadline()).toSeconds());
    lostDuringJob.clear();
    consumer.pause(consumer.assignment());
    try {
      Future<JobApplier.Applied> result =
          jobThread.submit(() -> escalate ? applier.escalate(job) : applier.apply(job));
      JobApplier.Applied applied = awaitWhilePolling(result);
      if (lostDuringJob.contains(partition)) {
        log.warn(
            "Partition {} moved to another worker during job {}; it announces the stored version",
            partition,
            job.getJobId());
        return null;
      }
      return applied;
    } finally {
      metrics.deadlineSlack(null);
      consumer.resume(consumer.assignment());
    }
  }

  /**
   * Waits on the job while keeping the consumer in its group; records of newly assigned partitions
   * are put back.
   */
  private JobApplier.Applied awaitWhilePolling(Future<JobApplier.Applied> result)
      throws ExecutionException {
    return JobWait.await(result, KEEP_ALIVE, () -> putBack(consumer.poll(Duration.ZERO)));
  }

  private void pollFor(Duration duration) {
    consumer.pause(consumer.assignment());
    Instant until = clock.instant().plus(duration);
    while (running.get() && clock.instant().isBefore(until)) {
      Duration left = Duration.between(clock.instant(), until);
      putBack(consumer.poll(left.compareTo(KEEP_ALIVE) < 0 ? left : KEEP_ALIVE));
    }
    consumer.resume(consumer.assignment());
  }

  private void putBack(ConsumerRecords<String, UnlearnJob> records) {
    for (TopicPartition partition : records.partitions()) {
      consumer.seek(partition, records.records(partition).get(0).offset());
      consumer.pause(List.of(partition));
    }
  }

  /**
   * Announces the job's versions; after the last job of a forget set, waits out the purge grace of
   * the versions the set superseded, purges them and publishes the set's COMPLETED receipts.
   *
   * @param takenUp when this worker took up the job: the first attempt's start, retries included
   */
  private void publish(
      ConsumerRecord<String, UnlearnJob> record,
      TopicPartition partition,
      UnlearnJob job,
      JobApplier.Applied applied,
      Instant takenUp) {
    Publisher.Offset offset =
        new Publisher.Offset(partition, record.offset() + 1, consumer.groupMetadata());
    boolean completesSet = job.getIndex() == job.getJobCount() - 1;
    publisher.announce(job, applied, takenUp, clock.instant(), completesSet ? null : offset);
    storeCheck.announced(job.getModelId(), applied.version().version());
    int receipts = 0;
    if (completesSet) {
      Instant due = purge.due(job.getModelId());
      if (due.isAfter(clock.instant())) {
        pollFor(Duration.between(clock.instant(), due));
      }
      List<VersionManifest> purged = purge.superseded(job);
      metrics.purged(job.getModelId(), purged.size());
      receipts =
          publisher.complete(
              job, applied.version(), purged, clock.instant(), clock.instant(), offset);
      metrics.receiptsCompleted(receipts);
    }
    log.info(
        "Published version {} of {} for job {} ({} receipts)",
        applied.version().version(),
        job.getModelId(),
        job.getJobId(),
        receipts);
  }

  /**
   * A job record that cannot be read is logged and committed past: the streams app never writes
   * one.
   */
  private void skipUnreadable(RecordDeserializationException e) {
    metrics.jobFailed();
    log.error(
        "Skipping an unreadable job at {}-{}@{}",
        e.topicPartition().topic(),
        e.topicPartition().partition(),
        e.offset(),
        e);
    producer.beginTransaction();
    producer.sendOffsetsToTransaction(
        Map.of(e.topicPartition(), new OffsetAndMetadata(e.offset() + 1)),
        consumer.groupMetadata());
    producer.commitTransaction();
    consumer.seek(e.topicPartition(), e.offset() + 1);
  }

  private void updateLag() {
    Instant now = clock.instant();
    if (Duration.between(lagCheckedAt, now).compareTo(LAG_INTERVAL) < 0
        || consumer.assignment().isEmpty()) {
      return;
    }
    lagCheckedAt = now;
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      lag += Math.max(0, end.getValue() - consumer.position(end.getKey()));
    }
    metrics.lag(lag);
  }

  private final class RebalanceListener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      lostDuringJob.addAll(partitions);
      // Another worker may write the next versions of these partitions' models.
      if (!partitions.isEmpty()) {
        applier.invalidateCache();
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("Assigned {}", partitions);
    }
  }
}
