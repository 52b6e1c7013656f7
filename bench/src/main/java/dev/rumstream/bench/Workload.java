package dev.rumstream.bench;

import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.StandInRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's data: one model with its memorization scores, and a pre-serialized mix of
 * deletion requests.
 */
final class Workload {
  private static final DeletionReason[] REASONS = DeletionReason.values();

  /**
   * One record as a sender would produce it (key: model id and the request id's bucket), and
   * whether the topology answers it with a receipt: a new request does (ACCEPTED or REJECTED), a
   * duplicate of an accepted request does not, a duplicate of an invalid one does (it is rejected
   * again each time it is sent).
   */
  record Request(byte[] key, byte[] value, String requestId, boolean answered) {}

  /** The records in sending order, and what they hold. */
  record Requests(
      List<Request> records,
      int distinct,
      int duplicates,
      int invalid,
      long exampleIds,
      Instant requestedAround) {

    /** The receipts records from..to-1 get when sent to a topology that saw those before. */
    long expectedReceipts(int from, int to) {
      return records.subList(from, to).stream().filter(Request::answered).count();
    }

    long expectedReceipts() {
      return expectedReceipts(0, records.size());
    }
  }

  private Workload() {}

  /**
   * The stand-in model a workload is about (and the registry of its schemas): its id, its
   * training-set size and how many of its examples have a score (requests name only those).
   */
  record Model(String registryUrl, String modelId, long datasetSize, int scored) {}

  private static <T extends IndexedRecord> AvroSerializer<T> serializer(Model model) {
    AvroSerializer<T> serializer = new AvroSerializer<>();
    serializer.configure(Map.of("schema.registry.url", model.registryUrl()), false);
    return serializer;
  }

  /**
   * Publishes version 0 of the model and a CONFIDENCE score for examples 0 to scored - 1 (one
   * distribution on all).
   */
  static void publishModel(
      Map<String, Object> producerConfig,
      Model model,
      String modelsTopic,
      String scoresTopic,
      Random random) {
    AvroSerializer<SpecificRecord> values = serializer(model);
    Instant trainedAt = Instant.now().minus(Duration.ofHours(1));
    // Scores uniform on [0, 1): the training-set tertiles are 1/3 and 2/3.
    ScoreDistribution distribution =
        new ScoreDistribution(model.datasetSize(), 1.0 / 3, 0.5, 2.0 / 3);
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), values)) {
      producer.send(
          new ProducerRecord<>(
              modelsTopic,
              model.modelId(),
              StandInRecords.versionZero(model.modelId(), model.datasetSize(), trainedAt)));
      for (long id = 0; id < model.scored(); id++) {
        producer.send(
            new ProducerRecord<>(
                scoresTopic,
                Keys.score(model.modelId(), id),
                StandInRecords.confidence(
                    model.modelId(), id, random.nextDouble(), distribution, trainedAt)));
      }
      producer.flush();
    }
  }

  /**
   * {@code count} request records: each new request names 1 to maxIds example ids drawn from the
   * scored examples and was made up to a minute ago; duplicatePercent of the records re-send an
   * earlier request (the same bytes), invalidPercent of the new requests name an id outside the
   * dataset (REJECTED).
   */
  static Requests requests(
      Model model,
      String subjectTopic,
      int count,
      int maxIds,
      double duplicatePercent,
      double invalidPercent,
      Random random) {
    Set<String> invalidIds = new HashSet<>();
    String modelId = model.modelId();
    AvroSerializer<DeletionRequest> serializer = serializer(model);
    Instant now = Instant.now();
    List<Request> records = new ArrayList<>(count);
    List<Request> originals = new ArrayList<>();
    int duplicates = 0;
    int invalid = 0;
    long ids = 0;
    for (int i = 0; i < count; i++) {
      if (!originals.isEmpty() && random.nextDouble() * 100 < duplicatePercent) {
        Request earlier = originals.get(random.nextInt(originals.size()));
        records.add(earlier);
        duplicates++;
        if (invalidIds.contains(earlier.requestId())) {
          invalid++;
        }
        continue;
      }
      int size = 1 + random.nextInt(maxIds);
      List<Long> exampleIds = new ArrayList<>(size);
      for (int j = 0; j < size; j++) {
        exampleIds.add((long) random.nextInt(model.scored()));
      }
      boolean bad = random.nextDouble() * 100 < invalidPercent;
      if (bad) {
        exampleIds.set(size - 1, model.datasetSize() + random.nextInt(1000));
        invalid++;
      }
      DeletionRequest request =
          request(modelId, exampleIds, now.minusMillis(random.nextInt(60_000)), random);
      Request record =
          new Request(
              Keys.request(modelId, request.getRequestId()).getBytes(StandardCharsets.UTF_8),
              serializer.serialize(subjectTopic, request),
              request.getRequestId(),
              true);
      if (bad) {
        invalidIds.add(request.getRequestId());
      }
      records.add(record);
      originals.add(record);
      ids += size;
    }
    // A duplicate of an accepted request gets no receipt of its own.
    List<Request> answered = new ArrayList<>(records.size());
    Set<String> seen = new HashSet<>();
    for (Request r : records) {
      boolean first = seen.add(r.requestId());
      answered.add(
          first || invalidIds.contains(r.requestId())
              ? r
              : new Request(r.key(), r.value(), r.requestId(), false));
    }
    return new Requests(List.copyOf(answered), originals.size(), duplicates, invalid, ids, now);
  }

  /**
   * One request with a random id, subject and reference; a quarter of them give a reason other than
   * GDPR erasure, and GDPR erasures have a deadline 30 days after {@code requestedAt}.
   */
  static DeletionRequest request(
      String modelId, List<Long> exampleIds, Instant requestedAt, Random random) {
    DeletionReason reason =
        random.nextInt(4) == 0
            ? REASONS[random.nextInt(REASONS.length)]
            : DeletionReason.GDPR_ERASURE;
    return DeletionRequest.newBuilder()
        .setRequestId(new UUID(random.nextLong(), random.nextLong()).toString())
        .setModelId(modelId)
        .setSubjectId("subject-" + random.nextInt(1_000_000))
        .setExampleIds(exampleIds)
        .setReason(reason)
        .setRequestedAt(requestedAt)
        .setDeadline(
            reason == DeletionReason.GDPR_ERASURE ? requestedAt.plus(Duration.ofDays(30)) : null)
        .setReference(random.nextBoolean() ? "case-" + random.nextInt(100_000) : null)
        .setSource("bench")
        .build();
  }
}
