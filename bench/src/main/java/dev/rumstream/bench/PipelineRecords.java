package dev.rumstream.bench;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the pipeline wrote, read as it happens (read_committed, from the beginning, no consumer
 * group): receipts, forget sets, jobs and the worker's metrics, by id. A reader thread fills the
 * maps; the others only read them.
 */
final class PipelineRecords implements AutoCloseable {
  /** A receipt and when this reader saw it (committed and fetched). */
  record Seen(DeletionReceipt receipt, Instant seenAt) {}

  private final Map<String, Seen> accepted = new ConcurrentHashMap<>();
  private final Map<String, Seen> rejected = new ConcurrentHashMap<>();
  private final Map<String, Seen> completed = new ConcurrentHashMap<>();
  private final Map<String, Integer> completions = new ConcurrentHashMap<>();
  private final Map<String, ForgetSet> forgetSets = new ConcurrentHashMap<>();
  private final Map<String, UnlearnJob> jobs = new ConcurrentHashMap<>();
  private final Map<String, UnlearningMetrics> metrics = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final KafkaConsumer<String, SpecificRecord> consumer;
  private final Thread reader;
  private volatile boolean running = true;

  PipelineRecords(Map<String, Object> clientConfig, String registryUrl, List<String> topics) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    RegistryClient registry =
        new RegistryClient(RegistryConfig.from(Map.of("schema.registry.url", registryUrl)));
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), AvroDeserializer.specific(registry));
    List<TopicPartition> partitions =
        topics.stream()
            .flatMap(
                topic ->
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.reader = new Thread(this::read, "pipeline-records");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, SpecificRecord> record :
            consumer.poll(Duration.ofMillis(100))) {
          take(record.value(), Instant.now());
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure.set(e);
    } finally {
      consumer.close();
    }
  }

  private void take(SpecificRecord value, Instant seenAt) {
    if (value instanceof DeletionReceipt receipt) {
      Seen seen = new Seen(receipt, seenAt);
      switch (receipt.getStatus()) {
        case ACCEPTED -> accepted.putIfAbsent(receipt.getRequestId(), seen);
        case REJECTED -> rejected.putIfAbsent(receipt.getRequestId(), seen);
        case COMPLETED -> {
          completed.putIfAbsent(receipt.getRequestId(), seen);
          completions.merge(receipt.getRequestId(), 1, Integer::sum);
        }
        default -> {}
      }
    } else if (value instanceof ForgetSet set) {
      forgetSets.put(set.getForgetSetId(), set);
    } else if (value instanceof UnlearnJob job) {
      jobs.put(job.getJobId(), job);
    } else if (value instanceof UnlearningMetrics m && m.getJobId() != null) {
      metrics.putIfAbsent(m.getJobId() + "#" + m.getAttempt(), m);
    }
  }

  /** Fails if the reader stopped on an error. */
  void check() {
    if (failure.get() != null) {
      throw new IllegalStateException(
          "Reading the pipeline's output failed: " + failure.get(), failure.get());
    }
  }

  Map<String, Seen> accepted() {
    return accepted;
  }

  Map<String, Seen> rejected() {
    return rejected;
  }

  /** The first COMPLETED receipt of each request. */
  Map<String, Seen> completed() {
    return completed;
  }

  /** How many COMPLETED receipts each request got (exactly one is right). */
  Map<String, Integer> completions() {
    return completions;
  }

  Map<String, ForgetSet> forgetSets() {
    return forgetSets;
  }

  Map<String, UnlearnJob> jobs() {
    return jobs;
  }

  /**
   * The first metrics record of each attempt of each job, rejected ones included, by job id and
   * attempt (a re-announced job publishes another).
   */
  Map<String, UnlearningMetrics> metrics() {
    return metrics;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    reader.join(10_000);
  }
}
