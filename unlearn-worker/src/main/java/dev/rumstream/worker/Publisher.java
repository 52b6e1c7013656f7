package dev.rumstream.worker;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.JobOutcome;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
  private final AuditChain audit;

  Publisher(WorkerConfig config, ModelStore store, KafkaProducer<String, SpecificRecord> producer) {
    this.config = config;
    this.store = store;
    this.producer = producer;
    this.audit = new AuditChain(config.auditKey(), config.workerId());
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
        store.recent(model).stream()
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
    for (RequestSummary request : job.getRequests()) {
      for (AuditRecord record : trail(request, promotedOfSet, purged, purgedAt, receipts, now)) {
        send(Topic.DELETION_AUDIT, record.getRequestId(), record);
      }
    }
    offset.sendTo(producer);
    producer.commitTransaction();
    return receipts.size();
  }

  /**
   * The worker's part of a request's audit trail, chained onto its SCHEDULED record: an ESCALATED
   * record for each retrain from scratch of the set, PURGED for the versions that held its
   * examples, COMPLETED with the promoted version and its evidence. Written in the transaction of
   * the receipts, so the trail and the receipts never disagree.
   */
  private List<AuditRecord> trail(
      RequestSummary request,
      List<VersionManifest> promotedOfSet,
      List<VersionManifest> purged,
      Instant purgedAt,
      List<DeletionReceipt> receipts,
      Instant now) {
    if (request.getAuditMac() == null) {
      return List.of(); // scheduled before the audit trail existed: no chain to continue
    }
    String id = request.getRequestId();
    List<AuditRecord> records = new ArrayList<>();
    AuditChain.Link link = new AuditChain.Link(request.getAuditSequence(), request.getAuditMac());
    for (VersionManifest escalated :
        promotedOfSet.stream().filter(VersionManifest::escalated).toList()) {
      records.add(
          audit.next(
              link,
              id,
              AuditTransition.ESCALATED,
              escalated.promotedAt(),
              escalated.modelId(),
              Map.of(
                  "jobId", String.valueOf(escalated.jobId()),
                  "version", Long.toString(escalated.version()),
                  "algorithm", escalated.algorithm())));
      link = AuditChain.Link.of(records.get(records.size() - 1));
    }
    String model = promotedOfSet.isEmpty() ? "" : promotedOfSet.get(0).modelId();
    records.add(
        audit.next(
            link,
            id,
            AuditTransition.PURGED,
            purgedAt == null ? now : purgedAt,
            model,
            Map.of(
                "versions",
                String.join(",", purged.stream().map(v -> Long.toString(v.version())).toList()))));
    link = AuditChain.Link.of(records.get(records.size() - 1));
    DeletionReceipt receipt =
        receipts.stream().filter(r -> r.getRequestId().equals(id)).findFirst().orElseThrow();
    Map<String, String> evidence = new TreeMap<>();
    evidence.put("version", Long.toString(receipt.getModelVersion()));
    evidence.put("forgetSetId", receipt.getForgetSetId());
    evidence.put(
        "deadlineMet",
        receipt.getDeadlineMet() == null ? "no deadline" : receipt.getDeadlineMet().toString());
    evidence.put("escalated", Boolean.toString(receipt.getEscalated()));
    if (receipt.getGate() != null) {
      evidence.put("gatePassed", Boolean.toString(receipt.getGate().getPassed()));
    }
    for (JobOutcome outcome : receipt.getOutcomes()) {
      evidence.put(
          "job." + outcome.getJobId(),
          "level="
              + outcome.getLevel()
              + " algorithm="
              + outcome.getAlgorithm()
              + " version="
              + outcome.getModelVersion()
              + " forgetAccuracy="
              + outcome.getForgetAccuracy()
              + " mia="
              + outcome.getMia());
    }
    records.add(
        audit.next(link, id, AuditTransition.COMPLETED, now, receipt.getModelId(), evidence));
    return records;
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
