package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.topics.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Step 1 of the flow: validates each request, recognizes duplicates by request id, issues ACCEPTED
 * or REJECTED receipts, and passes accepted requests on (key: model id) with repeated example ids
 * folded. A rejected request ends in a {@link RejectedRequestException}, which the processing
 * exception handler turns into a dead letter carrying the original bytes.
 */
final class Intake implements Processor<String, DeletionRequest, String, SpecificRecord> {
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

  private final RequestValidator validator;
  private final SubjectHasher subjects;
  private final Duration dedupRetention;
  private final DeletionMetrics metrics;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Long> requestIds;
  private ReadOnlyKeyValueStore<String, ValueAndTimestamp<ModelVersion>> models;
  private ReadOnlyKeyValueStore<String, ValueAndTimestamp<MemorizationScore>> scores;

  Intake(TopologyConfig config, DeletionMetrics metrics) {
    this.validator =
        new RequestValidator(
            config.maxExamplesPerRequest(), config.maxClockSkew(), config.maxRequestAge());
    this.subjects = new SubjectHasher(config.subjectHashKey());
    this.dedupRetention = config.dedupRetention();
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.requestIds = context.getStateStore(StoreNames.REQUEST_IDS);
    this.models = context.getStateStore(StoreNames.MODELS);
    this.scores = context.getStateStore(StoreNames.SCORES);
    context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forgetOldRequestIds);
  }

  @Override
  public void process(Record<String, DeletionRequest> record) {
    DeletionRequest request = record.value();
    if (request == null) {
      metrics.rejected("tombstone");
      throw new RejectedRequestException(
          "tombstone", "a record without a value (tombstone) is not a request");
    }
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    var rejection = validator.check(record.key(), request, factsAbout(request.getModelId()), now);
    if (rejection.isPresent()) {
      metrics.rejected(rejection.get().rule());
      if (request.getRequestId() != null && !request.getRequestId().isBlank()) {
        context.forward(
            new Record<>(
                request.getRequestId(),
                receipt(request, ReceiptStatus.REJECTED, 0, 0, rejection.get().reason(), now),
                now.toEpochMilli()));
      }
      throw new RejectedRequestException(rejection.get().rule(), rejection.get().reason());
    }
    if (requestIds.get(request.getRequestId()) != null) {
      metrics.duplicate();
      return;
    }
    requestIds.put(request.getRequestId(), now.toEpochMilli());

    List<Long> distinct = new ArrayList<>(new LinkedHashSet<>(request.getExampleIds()));
    int folded = request.getExampleIds().size() - distinct.size();
    metrics.accepted(folded);
    context.forward(
        new Record<>(
            request.getRequestId(),
            receipt(request, ReceiptStatus.ACCEPTED, distinct.size(), folded, null, now),
            now.toEpochMilli()));
    DeletionRequest accepted = DeletionRequest.newBuilder(request).setExampleIds(distinct).build();
    context.forward(new Record<>(request.getModelId(), accepted, record.timestamp()));
  }

  private RequestValidator.ModelFacts factsAbout(String modelId) {
    if (modelId == null || modelId.isBlank()) {
      return RequestValidator.ModelFacts.UNKNOWN;
    }
    ValueAndTimestamp<ModelVersion> version = models.get(modelId);
    if (version != null && version.value() != null) {
      return new RequestValidator.ModelFacts(
          true, OptionalLong.of(version.value().getDatasetSize()));
    }
    try (KeyValueIterator<String, ValueAndTimestamp<MemorizationScore>> scored =
        scores.prefixScan(Keys.scorePrefix(modelId), new StringSerializer())) {
      return scored.hasNext()
          ? new RequestValidator.ModelFacts(true, OptionalLong.empty())
          : RequestValidator.ModelFacts.UNKNOWN;
    }
  }

  private DeletionReceipt receipt(
      DeletionRequest request,
      ReceiptStatus status,
      int examples,
      int folded,
      String rejection,
      Instant now) {
    return DeletionReceipt.newBuilder()
        .setRequestId(request.getRequestId())
        .setStatus(status)
        .setModelId(request.getModelId())
        .setSubjectHash(subjects.hash(request.getSubjectId()))
        .setReason(request.getReason())
        .setExampleCount(examples)
        .setFoldedDuplicateIds(folded)
        .setRejection(rejection)
        .setReceivedAt(request.getRequestedAt())
        .setDeadline(request.getDeadline())
        .setIssuedAt(now)
        .build();
  }

  /**
   * Request ids older than the retention are forgotten, so the store does not grow without bound.
   */
  private void forgetOldRequestIds(long now) {
    long cutoff = now - dedupRetention.toMillis();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = requestIds.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        if (entry.value < cutoff) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(requestIds::delete);
  }
}
