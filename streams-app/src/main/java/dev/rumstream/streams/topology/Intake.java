package dev.rumstream.streams.topology;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.topics.ExampleIdSet;
import dev.rumstream.topics.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
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
 * Step 1 of the flow: recognizes duplicates by request id first (so that no later record can
 * overwrite a request's receipt), validates each new request, issues ACCEPTED or REJECTED receipts
 * ({@link #RECEIPTS}) and the first record of the request's audit trail ({@link #AUDIT}), and
 * passes accepted requests on ({@link #ACCEPTED}, key: model id) with repeated example ids folded
 * and the default deadline applied. A rejected request is a value, not a failure: it goes as a
 * {@link Rejection} to {@link #REJECTIONS}, with the record's original headers. A request id reused
 * with other content is such a rejection, without a receipt.
 */
final class Intake implements Processor<String, ReceivedRequest, String, Object> {
  static final Output<DeletionReceipt> RECEIPTS = new Output<>("deletion-receipts");
  static final Output<AuditRecord> AUDIT = new Output<>("intake-audit");
  static final Output<AcceptedRequest> ACCEPTED = new Output<>("forget-set-windows");
  static final String CONFLICT = "request-id-conflict";
  static final Output<Rejection> REJECTIONS = new Output<>("rejected-requests");
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

  private final RequestValidator validator;
  private final SubjectHasher subjects;
  private final Duration dedupRetention;
  private final TopologyConfig config;
  private final DeletionMetrics metrics;
  private final AuditChain audit;
  private final Map<String, CachedIds> idSets = new java.util.HashMap<>();
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, Long> requestIds;
  private KeyValueStore<String, String> fingerprints;
  private ReadOnlyKeyValueStore<String, ValueAndTimestamp<ModelVersion>> models;
  private ReadOnlyKeyValueStore<String, ValueAndTimestamp<MemorizationScore>> scores;

  Intake(TopologyConfig config, DeletionMetrics metrics) {
    this.validator =
        new RequestValidator(
            config.maxExamplesPerRequest(), config.maxClockSkew(), config.maxRequestAge());
    this.subjects = new SubjectHasher(config.subjectHashKey());
    this.dedupRetention = config.dedupRetention();
    this.config = config;
    this.metrics = metrics;
    this.audit = new AuditChain(config.auditKey(), config.auditActor());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.requestIds = context.getStateStore(StoreNames.REQUEST_IDS);
    this.fingerprints = context.getStateStore(StoreNames.REQUEST_FINGERPRINTS);
    this.models = context.getStateStore(StoreNames.MODELS);
    this.scores = context.getStateStore(StoreNames.SCORES);
    context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forgetOldRequestIds);
  }

  @Override
  public void process(Record<String, ReceivedRequest> record) {
    if (record.value() == null) {
      reject(
          record,
          new RequestValidator.Violation(
              "tombstone", "a record without a value (tombstone) is not a request"));
      return;
    }
    DeletionRequest request = record.value().request();
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    String requestId = request.getRequestId();
    boolean hasId = requestId != null && !requestId.isBlank();
    Long firstSeen = hasId ? requestIds.get(requestId) : null;
    if (firstSeen != null) {
      String earlier = fingerprints.get(requestId);
      // No fingerprint: remembered by a version that kept none; taken as the same request.
      if (earlier == null || earlier.equals(fingerprint(request))) {
        metrics.duplicate();
      } else {
        reject(
            record,
            new RequestValidator.Violation(
                CONFLICT,
                "request id '"
                    + requestId
                    + "' was accepted on "
                    + Instant.ofEpochMilli(firstSeen)
                    + " for another model, subject, set of example ids or reason; its receipt"
                    + " stands, and this request is not carried out: send it under a new id"));
      }
      return;
    }
    var violation = validator.check(record.key(), request, factsAbout(request.getModelId()), now);
    if (violation.isPresent()) {
      if (!RequestValidator.WITHOUT_RECEIPT.contains(violation.get().rule())) {
        issue(
            receipt(request, ReceiptStatus.REJECTED, 0, 0, false, violation.get().reason(), now)
                .build());
        record(
            audit.first(
                requestId,
                AuditTransition.REJECTED,
                now,
                request.getModelId(),
                Map.of("rule", violation.get().rule(), "reason", violation.get().reason())));
      }
      reject(record, violation.get());
      return;
    }
    requestIds.put(requestId, now.toEpochMilli());
    fingerprints.put(requestId, fingerprint(request));

    List<Long> distinct = new ArrayList<>(new LinkedHashSet<>(request.getExampleIds()));
    int folded = request.getExampleIds().size() - distinct.size();
    Instant deadline =
        request.getDeadline() != null
            ? request.getDeadline()
            : config.defaultDeadline(request.getRequestedAt());
    boolean late = deadline != null && deadline.isBefore(now);
    metrics.accepted(folded, late);
    DeletionRequest accepted =
        DeletionRequest.newBuilder(request).setExampleIds(distinct).setDeadline(deadline).build();
    issue(
        receipt(accepted, ReceiptStatus.ACCEPTED, distinct.size(), folded, late, null, now)
            .build());
    Map<String, String> facts = new TreeMap<>();
    facts.put("exampleCount", Integer.toString(distinct.size()));
    facts.put("foldedDuplicateIds", Integer.toString(folded));
    facts.put("deadline", deadline == null ? "none" : deadline.toString());
    facts.put("late", Boolean.toString(late));
    AuditRecord acceptedRecord =
        audit.first(requestId, AuditTransition.ACCEPTED, now, request.getModelId(), facts);
    record(acceptedRecord);
    ACCEPTED.forward(
        context,
        new Record<>(
            request.getModelId(),
            new AcceptedRequest(accepted, folded, late, AuditChain.Link.of(acceptedRecord)),
            record.timestamp()));
  }

  private void record(AuditRecord entry) {
    AUDIT.forward(context, new Record<>(entry.getRequestId(), entry, entry.getAt().toEpochMilli()));
  }

  private String fingerprint(DeletionRequest request) {
    return RequestFingerprint.of(request, subjects.hash(request.getSubjectId()));
  }

  private void issue(DeletionReceipt receipt) {
    RECEIPTS.forward(
        context,
        new Record<>(receipt.getRequestId(), receipt, receipt.getIssuedAt().toEpochMilli()));
  }

  private void reject(
      Record<String, ReceivedRequest> record, RequestValidator.Violation violation) {
    metrics.rejected(violation.rule());
    // The key was read as UTF-8 text (StringDeserializer), so these are the bytes it came as.
    byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    byte[] value = record.value() == null ? null : record.value().bytes();
    REJECTIONS.forward(
        context, record.withValue(new Rejection(violation.rule(), violation.reason(), key, value)));
  }

  private RequestValidator.ModelFacts factsAbout(String modelId) {
    if (modelId == null || modelId.isBlank()) {
      return RequestValidator.ModelFacts.UNKNOWN;
    }
    ValueAndTimestamp<ModelVersion> version = models.get(modelId);
    if (version != null && version.value() != null) {
      return new RequestValidator.ModelFacts(
          true, OptionalLong.of(version.value().getDatasetSize()), exampleIds(version.value()));
    }
    try (KeyValueIterator<String, ValueAndTimestamp<MemorizationScore>> scored =
        scores.prefixScan(Keys.scorePrefix(modelId), new StringSerializer())) {
      return scored.hasNext()
          ? new RequestValidator.ModelFacts(true, OptionalLong.empty(), Optional.empty())
          : RequestValidator.ModelFacts.UNKNOWN;
    }
  }

  /**
   * The model's id set, decoded once per announced version (a set of a large image folder is
   * hundreds of kilobytes: not for every request).
   */
  private Optional<ExampleIdSet> exampleIds(ModelVersion version) {
    if (version.getExampleIdSet() == null) {
      return Optional.empty();
    }
    CachedIds cached = idSets.get(version.getModelId());
    if (cached == null || cached.version() != version.getVersion()) {
      cached = new CachedIds(version.getVersion(), ExampleIdSet.decode(version.getExampleIdSet()));
      idSets.put(version.getModelId(), cached);
    }
    return Optional.of(cached.ids());
  }

  /** The decoded id set of the latest version of a model seen. */
  private record CachedIds(long version, ExampleIdSet ids) {}

  private DeletionReceipt.Builder receipt(
      DeletionRequest request,
      ReceiptStatus status,
      int examples,
      int folded,
      boolean late,
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
        .setLate(late)
        .setIssuedAt(now);
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
    for (String id : expired) {
      requestIds.delete(id);
      fingerprints.delete(id);
    }
  }
}
