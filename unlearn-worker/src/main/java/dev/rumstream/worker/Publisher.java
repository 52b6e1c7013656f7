package dev.rumstream.worker;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes what a job produced in Kafka transactions (step 6 of the flow). First the announcements:
 * every attempt's version notice and evidence (a rejected candidate included), the promoted
 * version, the notices of the versions its promotion superseded, tombstones for the memorization
 * scores of the job's examples, and, after a retrain from scratch, the new model's fresh scores.
 * Then, after the last job of a forget set and once the superseded versions are purged, their
 * PURGED notices and the set's COMPLETED receipts. The job's offset goes with the last transaction,
 * so a crash before it redelivers the job, which only announces again: receipts are published
 * exactly once, and never before the versions that learned from their examples are gone.
 */
final class Publisher {
  private final WorkerConfig config;
  private final ModelStore store;
  private final KafkaProducer<String, SpecificRecord> producer;

  Publisher(WorkerConfig config, ModelStore store, KafkaProducer<String, SpecificRecord> producer) {
    this.config = config;
    this.store = store;
    this.producer = producer;
  }

  /** The first transaction; it carries the offset unless receipts are still due. */
  void announce(
      UnlearnJob job, JobApplier.Applied applied, Instant takenUp, Instant now, Offset offset) {
    String model = job.getModelId();
    producer.beginTransaction();
    for (VersionManifest attempt : applied.attempts()) {
      if (attempt.version() != applied.version().version()) {
        send(Topic.MODEL_VERSIONS, model, Announcements.version(attempt, store));
        send(Topic.UNLEARNING_METRICS, model, Announcements.metrics(attempt, takenUp, now));
      }
    }
    VersionManifest promoted = applied.version();
    send(Topic.MODEL_VERSIONS, model, Announcements.version(promoted, store));
    send(Topic.UNLEARNING_METRICS, model, Announcements.metrics(promoted, takenUp, now));
    for (VersionManifest superseded : store.unpurged(model)) {
      send(Topic.MODEL_VERSIONS, model, Announcements.version(superseded, store));
    }
    for (long id : promoted.forgetIds()) {
      send(Topic.MEMORIZATION_SCORES, Keys.score(model, id), null);
    }
    // A retrain from scratch (escalated, or asked for) comes with the fresh scores of its model.
    if (promoted.attempt() == JobApplier.RETRAIN_ATTEMPT) {
      for (var score : Announcements.scores(promoted, Bootstrap.storedScores(store, promoted))) {
        send(Topic.MEMORIZATION_SCORES, Keys.score(model, score.getExampleId()), score);
      }
    }
    if (offset != null) {
      offset.sendTo(producer);
    }
    producer.commitTransaction();
  }

  /**
   * The second transaction of a forget set's last job: the PURGED notices and the COMPLETED
   * receipts, with the offset. Returns how many receipts it published.
   */
  int complete(
      UnlearnJob job,
      VersionManifest promoted,
      List<VersionManifest> purged,
      Instant purgedAt,
      Instant now,
      Offset offset) {
    String model = job.getModelId();
    List<VersionManifest> promotedOfSet =
        store.versions(model).stream()
            .filter(v -> job.getForgetSetId().equals(v.forgetSetId()) && v.promotedAt() != null)
            .toList();
    List<DeletionReceipt> receipts =
        Announcements.completed(promoted, promotedOfSet, job.getRequests(), purgedAt, now);
    producer.beginTransaction();
    for (VersionManifest version : purged) {
      send(Topic.MODEL_VERSIONS, model, Announcements.version(version, store));
    }
    for (DeletionReceipt receipt : receipts) {
      send(Topic.DELETION_RECEIPTS, receipt.getRequestId(), receipt);
    }
    offset.sendTo(producer);
    producer.commitTransaction();
    return receipts.size();
  }

  private void send(Topic<String, ?> topic, String key, SpecificRecord value) {
    producer.send(new ProducerRecord<>(config.topic(topic), key, value));
  }

  /** A consumed job's offset, committed with the transaction that finishes the job. */
  record Offset(TopicPartition partition, long next, ConsumerGroupMetadata group) {
    void sendTo(KafkaProducer<String, SpecificRecord> producer) {
      producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(next)), group);
    }
  }
}
