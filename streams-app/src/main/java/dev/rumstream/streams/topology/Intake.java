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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Step 1 of the flow: recognizes duplicates by request id first (so that no later record can
 * overwrite a request's receipt), validates each new request, issues ACCEPTED or REJECTED receipts
 * ({@link #RECEIPTS}) and the first record of the request's audit trail ({@link #AUDIT}), and
 * passes accepted requests on ({@link #ACCEPTED}, key: model id) with repeated example ids folded
 * and the default deadline applied. A rejected request is a value, not a failure: it goes as a
 * {@link Rejection} to {@link #REJECTIONS}, with the record's original headers. A request id reused
 * with other content is such a rejection, without a receipt.
 *
 * <p>Accepted ids live in a window store, filed under the start of the dedup period in which they
 * were accepted, so a lookup is a point read per period, expiry drops whole segments, and the
 * stream thread never scans them. Facts about a model are read from the global store at most once
 * every {@link #MODEL_FACTS_TTL}.
 */
final class Intake implements Processor<String, ReceivedRequest, String, Object> {
  static final Output<DeletionReceipt> RECEIPTS = new Output<>("deletion-receipts");
  static final Output<AuditRecord> AUDIT = new Output<>("intake-audit");
  static final Output<AcceptedRequest> ACCEPTED = new Output<>("forget-set-windows");
  static final String CONFLICT = "request-id-conflict";
  static final Output<Rejection> REJECTIONS = new Output<>("rejected-requests");
  private static final Duration MODEL_FACTS_TTL = Duration.ofSeconds(10);
  private static final Duration LEGACY_MIGRATION_INTERVAL = Duration.ofSeconds(1);
  private static final int LEGACY_IDS_PER_PASS = 10_000;
  private static final String EMPTY_MARK = "";

  private final RequestValidator validator;
  private final SubjectHasher subjects;
  private final Duration dedupRetention;
  private final TopologyConfig config;
  private final DeletionMetrics metrics;
  private final AuditChain audit;
  private final Map<String, CachedFacts> modelFacts = new HashMap<>();
  private ProcessorContext<String, Object> context;
  private WindowStore<String, byte[]> acceptedIds;
  private WindowStore<String, byte[]> legacyAcceptedIds;
  private KeyValueStore<String, Long> legacyRequestIds;
  private KeyValueStore<String, String> legacyFingerprints;
  private boolean legacyIdsLeft = true;
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
    this.acceptedIds = context.getStateStore(StoreNames.ACCEPTED_REQUEST_IDS);
    this.legacyAcceptedIds = context.getStateStore(StoreNames.LEGACY_ACCEPTED_REQUEST_IDS);
    this.legacyRequestIds = context.getStateStore(StoreNames.LEGACY_REQUEST_IDS);
    this.legacyFingerprints = context.getStateStore(StoreNames.LEGACY_REQUEST_FINGERPRINTS);
    // A task revived after an aborted transaction is initialized again, with its state rolled back.
    this.legacyIdsLeft = true;
    this.modelFacts.clear();
    this.models = context.getStateStore(StoreNames.MODELS);
    this.scores = context.getStateStore(StoreNames.SCORES);
    context.schedule(
        LEGACY_MIGRATION_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::migrateLegacyIds);
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
    String subjectHash = subjects.hash(request.getSubjectId());
    Remembered earlier = hasId ? remembered(requestId, now) : null;
    if (earlier != null) {
      // No fingerprint: remembered by a version that kept none; taken as the same request.
      if (earlier.fingerprint() == null
          || earlier.fingerprint().equals(RequestFingerprint.of(request, subjectHash))) {
        metrics.duplicate();
      } else {
        reject(
            record,
            new RequestValidator.Violation(
                CONFLICT,
                "request id '"
                    + requestId
                    + "' was accepted on "
                    + Instant.ofEpochMilli(earlier.acceptedAt())
                    + " for another model, subject, set of example ids or reason; its receipt"
                    + " stands, and this request is not carried out: send it under a new id"));
      }
      return;
    }
    var violation = validator.check(record.key(), request, factsAbout(request.getModelId()), now);
    if (violation.isPresent()) {
      if (!RequestValidator.WITHOUT_RECEIPT.contains(violation.get().rule())) {
        issue(
            receipt(
                    request,
                    subjectHash,
                    ReceiptStatus.REJECTED,
                    0,
                    0,
                    false,
                    violation.get().reason(),
                    now)
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
    remember(
        requestId, new Remembered(now.toEpochMilli(), RequestFingerprint.of(request, subjectHash)));

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
        receipt(
                accepted,
                subjectHash,
                ReceiptStatus.ACCEPTED,
                distinct.size(),
                folded,
                late,
                null,
                now)
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
            new AcceptedRequest(
                accepted, subjectHash, folded, late, AuditChain.Link.of(acceptedRecord)),
            record.timestamp()));
  }

  private void record(AuditRecord entry) {
    AUDIT.forward(context, new Record<>(entry.getRequestId(), entry, entry.getAt().toEpochMilli()));
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
    long now = context.currentSystemTimeMs();
    CachedFacts cached = modelFacts.get(modelId);
    if (cached != null && now - cached.readAt() < MODEL_FACTS_TTL.toMillis()) {
      return cached.facts();
    }
    ValueAndTimestamp<ModelVersion> stored = models.get(modelId);
    if (stored != null && stored.value() != null) {
      ModelVersion version = stored.value();
      // A model's id set is hundreds of kilobytes for a large image folder: decoded once a version.
      Optional<ExampleIdSet> ids =
          version.getExampleIdSet() == null
              ? Optional.empty()
              : cached != null && cached.version() == version.getVersion()
                  ? cached.facts().ids()
                  : Optional.of(ExampleIdSet.decode(version.getExampleIdSet()));
      var facts =
          new RequestValidator.ModelFacts(true, OptionalLong.of(version.getDatasetSize()), ids);
      modelFacts.put(modelId, new CachedFacts(facts, version.getVersion(), now));
      return facts;
    }
    // Not cached: a model announced a moment later must be known at once.
    try (KeyValueIterator<String, ValueAndTimestamp<MemorizationScore>> scored =
        scores.prefixScan(Keys.scorePrefix(modelId), new StringSerializer())) {
      return scored.hasNext()
          ? new RequestValidator.ModelFacts(true, OptionalLong.empty(), Optional.empty())
          : RequestValidator.ModelFacts.UNKNOWN;
    }
  }

  /** What was read about a model's latest announced version, and when. */
  private record CachedFacts(RequestValidator.ModelFacts facts, long version, long readAt) {}

  /**
   * An accepted request id: when it was accepted and what it asked for (null: remembered by a
   * release that kept no fingerprint). Stored as the time (8 bytes) and the fingerprint's bytes.
   */
  private record Remembered(long acceptedAt, String fingerprint) {
    byte[] bytes() {
      byte[] digest = fingerprint == null ? new byte[0] : HexFormat.of().parseHex(fingerprint);
      return ByteBuffer.allocate(Long.BYTES + digest.length)
          .putLong(acceptedAt)
          .put(digest)
          .array();
    }

    static Remembered of(byte[] bytes) {
      return new Remembered(
          ByteBuffer.wrap(bytes).getLong(),
          fingerprintOf(Arrays.copyOfRange(bytes, Long.BYTES, bytes.length)));
    }
  }

  private long periodOf(long time) {
    return Math.floorDiv(time, dedupRetention.toMillis()) * dedupRetention.toMillis();
  }

  private void remember(String requestId, Remembered id) {
    acceptedIds.put(requestId, id.bytes(), periodOf(id.acceptedAt()));
  }

  private Remembered remembered(String requestId, Instant now) {
    long since = now.toEpochMilli() - dedupRetention.toMillis();
    for (long period = periodOf(now.toEpochMilli());
        period >= periodOf(since);
        period -= dedupRetention.toMillis()) {
      byte[] seen = acceptedIds.fetch(requestId, period);
      if (seen != null) {
        Remembered id = Remembered.of(seen);
        if (id.acceptedAt() >= since) {
          return id;
        }
      }
    }
    if (legacyIdsLeft) {
      try (WindowStoreIterator<byte[]> seen =
          legacyAcceptedIds.fetch(requestId, now.minus(dedupRetention), now)) {
        if (seen.hasNext()) {
          var entry = seen.next();
          return new Remembered(entry.key, fingerprintOf(entry.value));
        }
      }
      Long acceptedAt = legacyRequestIds.get(requestId);
      if (acceptedAt != null) {
        return new Remembered(acceptedAt, legacyFingerprints.get(requestId));
      }
    }
    return null;
  }

  private static String fingerprintOf(byte[] digest) {
    return digest.length == 0 ? null : HexFormat.of().formatHex(digest);
  }

  private DeletionReceipt.Builder receipt(
      DeletionRequest request,
      String subjectHash,
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
        .setSubjectHash(subjectHash)
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
   * Moves the request ids that earlier releases remembered (in key-value stores, then by exact
   * time) into the store by period, a bounded batch per punctuation so no transaction grows large;
   * until that is done they are also looked up where they are.
   */
  private void migrateLegacyIds(long now) {
    if (!legacyIdsLeft) {
      return;
    }
    long cutoff = now - dedupRetention.toMillis();
    List<KeyValue<Windowed<String>, byte[]>> timed = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, byte[]> all = legacyAcceptedIds.all()) {
      while (all.hasNext() && timed.size() < LEGACY_IDS_PER_PASS) {
        timed.add(all.next());
      }
    }
    for (KeyValue<Windowed<String>, byte[]> entry : timed) {
      long acceptedAt = entry.key.window().start();
      if (acceptedAt >= cutoff) {
        remember(entry.key.key(), new Remembered(acceptedAt, fingerprintOf(entry.value)));
      }
      legacyAcceptedIds.put(entry.key.key(), null, acceptedAt);
    }
    List<KeyValue<String, Long>> kept = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = legacyRequestIds.all()) {
      while (all.hasNext() && timed.size() + kept.size() < LEGACY_IDS_PER_PASS) {
        kept.add(all.next());
      }
    }
    for (KeyValue<String, Long> entry : kept) {
      if (entry.value >= cutoff) {
        remember(entry.key, new Remembered(entry.value, legacyFingerprints.get(entry.key)));
      }
      legacyRequestIds.delete(entry.key);
      legacyFingerprints.delete(entry.key);
    }
    legacyIdsLeft = timed.size() + kept.size() == LEGACY_IDS_PER_PASS;
    if (!legacyIdsLeft && timed.isEmpty()) {
      // A window store never written holds no committed offset, and under exactly-once Kafka
      // Streams takes such a store as corrupt at the next start and restores its whole task from
      // the changelogs, even after a clean stop: a tombstone, once the move is done, gives it one.
      legacyAcceptedIds.put(EMPTY_MARK, null, now);
    }
  }
}
