package dev.rumstream.streams.topology;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.WindowCloseReason;
import dev.rumstream.avro.state.OpenForgetSet;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.streams.refine.JobPlanner;
import dev.rumstream.streams.refine.Refiner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Steps 2 to 4 of the flow: gathers accepted requests per model into tumbling event-time windows
 * (by {@code requestedAt}), closes a set when its window ends, when it reaches the size cap, or
 * when a wall-clock punctuator finds it open for too long or near a request's deadline (so sparse
 * traffic still flushes), then annotates and refines it and emits the forget set and its jobs.
 *
 * <p>State is O(request): each request is one entry, written when it arrives and deleted when its
 * set closes, beside a small {@link OpenWindow} header per model and window that the size cap and
 * the punctuator read. Closing a set reads its entries as one range; everything a close writes
 * (outputs, deletes, the next header) is part of the task's exactly-once transaction, and the set's
 * id comes from the header, so a replay after an aborted transaction emits the same ids.
 *
 * <p>Scores come from a global store: every instance holds all of them. Requests are keyed by model
 * (and a bucket of their id) and scores by model and example, so a co-partitioned table join would
 * need the requests re-keyed per example and back; scores change only when a model is trained, and
 * a model's scores are a few megabytes, so replicating them is cheaper than two repartitions per
 * request.
 */
final class ForgetSetWindows implements Processor<String, AcceptedRequest, String, Object> {
  static final Output<ForgetSet> FORGET_SETS = new Output<>("forget-sets");
  static final Output<UnlearnJob> JOBS = new Output<>("unlearn-jobs");
  static final Output<AuditRecord> AUDIT = new Output<>("scheduled-audit");
  private static final String WATERMARK = "watermark";

  private final TopologyConfig config;
  private final Refiner refiner;
  private final JobPlanner planner;
  private final DeletionMetrics metrics;
  private final AuditChain audit;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, OpenWindow> windows;
  private KeyValueStore<String, GatheredRequest> gathered;
  private KeyValueStore<String, OpenForgetSet> legacySets;
  private KeyValueStore<String, Long> clock;
  private RecentScores scores;
  private boolean legacyMigrated;

  /**
   * The earliest event time at which an open window ends (a cache over the headers; null until
   * first scanned).
   */
  private Long earliestWindowEnd;

  ForgetSetWindows(TopologyConfig config, DeletionMetrics metrics) {
    this.config = config;
    this.refiner = new Refiner(config.cutRule());
    this.planner = new JobPlanner(config.policy());
    this.metrics = metrics;
    this.audit = new AuditChain(config.auditKey(), config.auditActor());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.windows = context.getStateStore(StoreNames.OPEN_WINDOWS);
    this.gathered = context.getStateStore(StoreNames.GATHERED_REQUESTS);
    this.legacySets = context.getStateStore(StoreNames.LEGACY_OPEN_FORGET_SETS);
    this.clock = context.getStateStore(StoreNames.FORGET_SET_CLOCK);
    this.scores = new RecentScores(context.getStateStore(StoreNames.SCORES));
    // A task revived after an aborted transaction is initialized again, with its state rolled back.
    this.legacyMigrated = false;
    this.earliestWindowEnd = null;
    context.schedule(config.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushDue);
  }

  @Override
  public void process(Record<String, AcceptedRequest> record) {
    migrateLegacySets();
    AcceptedRequest accepted = record.value();
    DeletionRequest request = accepted.request();
    long size = config.windowSize().toMillis();
    Long stored = clock.get(WATERMARK);
    long watermark =
        Math.max(stored == null ? Long.MIN_VALUE : stored, request.getRequestedAt().toEpochMilli());
    clock.put(WATERMARK, watermark);

    long windowStart = Math.floorDiv(request.getRequestedAt().toEpochMilli(), size) * size;
    if (hasEnded(windowStart, watermark)) {
      // A request later than the grace period joins the window that is open now rather than being
      // dropped.
      windowStart = Math.floorDiv(watermark, size) * size;
    }
    String key = windowKey(request.getModelId(), windowStart);
    OpenWindow window = windows.get(key);
    if (window == null) {
      window = OpenWindow.empty(request.getModelId(), windowStart);
    }
    GatheredRequest entry = GatheredRequest.of(accepted);
    // The cap holds before a request joins: one that does not fit closes the set and opens the
    // next. A request is never split, so one larger than the whole cap makes a set of its own.
    if (!window.isEmpty()
        && (window.exampleIds() + entry.exampleIds().length > config.maxForgetSetExamples()
            || !RecordBudget.fits(window, entry))) {
      window = close(key, window, WindowCloseReason.SIZE_CAP);
    }
    gathered.put(entryKey(key, window.nextArrival()), entry);
    window = window.with(entry, context.currentSystemTimeMs());
    if (window.exampleIds() >= config.maxForgetSetExamples()) {
      window = close(key, window, WindowCloseReason.SIZE_CAP);
    }
    windows.put(key, window);
    long end = windowStart + config.windowSize().toMillis() + config.windowGrace().toMillis();
    if (earliestWindowEnd != null && end < earliestWindowEnd) {
      earliestWindowEnd = end;
    }
    // Scanning every open set on every request would make each request cost as much as all open
    // sets together.
    if (earliestWindowEnd == null || earliestWindowEnd <= watermark) {
      closeEndedWindows(watermark);
    }
  }

  /**
   * The header's key: the model id with its length, so that no model id can be a prefix of
   * another's window, and the window start.
   */
  static String windowKey(String modelId, long windowStart) {
    return modelId.length() + ":" + modelId + "@" + windowStart + "/";
  }

  /** An entry's key: its window's key and its arrival number, so entries scan in arrival order. */
  static String entryKey(String windowKey, int arrival) {
    return windowKey + String.format("%010d", arrival);
  }

  private boolean hasEnded(long windowStart, long watermark) {
    return windowStart + config.windowSize().toMillis() + config.windowGrace().toMillis()
        <= watermark;
  }

  private void closeEndedWindows(long watermark) {
    Long earliest = null;
    for (KeyValue<String, OpenWindow> entry : headers()) {
      if (hasEnded(entry.value.windowStart(), watermark)) {
        if (!entry.value.isEmpty()) {
          close(entry.key, entry.value, WindowCloseReason.WINDOW_END);
        }
        windows.delete(entry.key);
      } else {
        long end =
            entry.value.windowStart()
                + config.windowSize().toMillis()
                + config.windowGrace().toMillis();
        earliest = earliest == null ? end : Math.min(earliest, end);
      }
    }
    earliestWindowEnd = earliest == null ? Long.MAX_VALUE : earliest;
    reportOldest();
  }

  /**
   * The wall-clock check: flushes sets open too long, or whose earliest request deadline is near.
   * It reads the headers only.
   */
  private void flushDue(long now) {
    migrateLegacySets();
    for (KeyValue<String, OpenWindow> entry : headers()) {
      OpenWindow window = entry.value;
      if (window.isEmpty()) {
        continue;
      }
      boolean waitedLongEnough = window.openedAt() + config.maxWait().toMillis() <= now;
      boolean deadlineNear =
          window.earliestDeadline() != null
              && window.earliestDeadline() - config.deadlineMargin().toMillis() <= now;
      if (waitedLongEnough || deadlineNear) {
        windows.put(entry.key, close(entry.key, window, WindowCloseReason.DEADLINE));
      }
    }
    reportOldest();
  }

  private List<KeyValue<String, OpenWindow>> headers() {
    List<KeyValue<String, OpenWindow>> entries = new ArrayList<>();
    try (KeyValueIterator<String, OpenWindow> all = windows.all()) {
      all.forEachRemaining(entries::add);
    }
    return entries;
  }

  /**
   * The set's requests in arrival order, removed from the store: a range from its first arrival,
   * since a scan from the window's prefix would step over every entry its earlier sets deleted.
   */
  private List<GatheredRequest> takeRequests(String windowKey, OpenWindow window) {
    List<KeyValue<String, GatheredRequest>> entries = new ArrayList<>();
    try (KeyValueIterator<String, GatheredRequest> scan =
        gathered.range(
            entryKey(windowKey, window.firstArrival()),
            entryKey(windowKey, window.nextArrival()))) {
      scan.forEachRemaining(entries::add);
    }
    // A put of null deletes without reading the old value back, as delete() would.
    entries.forEach(e -> gathered.put(e.key, null));
    return entries.stream().map(e -> e.value).toList();
  }

  /** Closes the window's set, emits it and its jobs, and returns the window's empty successor. */
  private OpenWindow close(String windowKey, OpenWindow window, WindowCloseReason reason) {
    long now = context.currentSystemTimeMs();
    String modelId = window.modelId();
    List<GatheredRequest> requests = takeRequests(windowKey, window);
    Map<Long, List<String>> requestsOf = new LinkedHashMap<>();
    for (GatheredRequest request : requests) {
      for (long id : request.exampleIds()) {
        requestsOf.computeIfAbsent(id, x -> new ArrayList<>()).add(request.requestId());
      }
    }
    List<Refiner.Candidate> candidates =
        requestsOf.entrySet().stream()
            .map(e -> new Refiner.Candidate(e.getKey(), e.getValue()))
            .toList();
    Refiner.Refined refined =
        refiner.refine(candidates, exampleId -> scores.get(modelId, exampleId, now));
    ForgetSet set =
        ForgetSet.newBuilder()
            .setForgetSetId(forgetSetId(window))
            .setModelId(modelId)
            .setWindowStart(Instant.ofEpochMilli(window.windowStart()))
            .setWindowEnd(
                Instant.ofEpochMilli(window.windowStart() + config.windowSize().toMillis()))
            .setClosedAt(Instant.ofEpochMilli(now))
            .setCloseReason(reason)
            .setRequestIds(requests.stream().map(GatheredRequest::requestId).toList())
            .setExamples(refined.examples())
            .setRefinement(refined.refinement())
            .setUnscoredCount(refined.unscoredCount())
            .setEarliestDeadline(
                window.earliestDeadline() == null
                    ? null
                    : Instant.ofEpochMilli(window.earliestDeadline()))
            .build();
    FORGET_SETS.forward(context, new Record<>(modelId, set, now));
    metrics.forgetSetClosed(set);
    List<UnlearnJob> jobs = planner.plan(set, Instant.ofEpochMilli(now));
    List<RequestSummary> scheduled = scheduled(set, summaries(requests), jobs, now);
    for (UnlearnJob job : jobs) {
      // Only the last job completes the set's requests, so only it carries their summaries.
      if (job.getIndex() == job.getJobCount() - 1) {
        job.setRequests(scheduled);
      }
      JOBS.forward(context, new Record<>(modelId, job, now));
      metrics.jobEmitted(job);
    }
    return window.successor();
  }

  /**
   * The model, the window and the sequence within it, and the partition of the task, since one
   * model's requests may be spread over partitions, each with its own sets.
   */
  private String forgetSetId(OpenWindow window) {
    return window.modelId()
        + "-"
        + window.windowStart()
        + "-p"
        + context.taskId().partition()
        + "-"
        + window.sequence();
  }

  /**
   * Records SCHEDULED in each request's audit trail (chained onto its ACCEPTED record) and returns
   * the summaries with that record's link, which the worker's records continue.
   */
  private List<RequestSummary> scheduled(
      ForgetSet set, List<RequestSummary> summaries, List<UnlearnJob> jobs, long now) {
    String jobIds = String.join(",", jobs.stream().map(UnlearnJob::getJobId).toList());
    List<RequestSummary> linked = new ArrayList<>(summaries.size());
    for (RequestSummary summary : summaries) {
      if (summary.getAuditMac() == null) {
        // Accepted before the audit trail existed: it has no chain to continue.
        linked.add(summary);
        continue;
      }
      AuditRecord record =
          audit.next(
              new AuditChain.Link(summary.getAuditSequence(), summary.getAuditMac()),
              summary.getRequestId(),
              AuditTransition.SCHEDULED,
              Instant.ofEpochMilli(now),
              set.getModelId(),
              Map.of(
                  "forgetSetId", set.getForgetSetId(),
                  "closeReason", set.getCloseReason().name(),
                  "examples", Integer.toString(summary.getExampleCount()),
                  "jobs", jobIds));
      AUDIT.forward(context, new Record<>(summary.getRequestId(), record, now));
      linked.add(
          RequestSummary.newBuilder(summary)
              .setAuditSequence(record.getSequence())
              .setAuditMac(record.getMac())
              .build());
    }
    return linked;
  }

  /** What each request's COMPLETED receipt will report. */
  private static List<RequestSummary> summaries(List<GatheredRequest> requests) {
    return requests.stream()
        .map(
            r ->
                RequestSummary.newBuilder()
                    .setRequestId(r.requestId())
                    .setSubjectHash(r.subjectHash())
                    .setReason(r.reason() == null ? null : DeletionReason.valueOf(r.reason()))
                    .setReceivedAt(Instant.ofEpochMilli(r.requestedAt()))
                    .setDeadline(r.deadline() == null ? null : Instant.ofEpochMilli(r.deadline()))
                    .setExampleCount(r.exampleIds().length)
                    .setFoldedDuplicateIds(r.foldedDuplicateIds())
                    .setLate(r.late())
                    .setAuditSequence(r.auditSequence())
                    .setAuditMac(r.auditMac())
                    .build())
        .toList();
  }

  private void reportOldest() {
    Long oldest = null;
    for (KeyValue<String, OpenWindow> entry : headers()) {
      Long openedAt = entry.value.openedAt();
      if (openedAt != null && (oldest == null || openedAt < oldest)) {
        oldest = openedAt;
      }
    }
    metrics.oldestOpenSet(context.taskId().toString(), oldest);
  }

  /**
   * Carries the open sets of releases that kept each set as one record over into headers and
   * entries, once per task, in the transaction of the first record or punctuation: the sets keep
   * their sequence numbers, requests and arrival order, and the old records are deleted, so nothing
   * is lost or added twice.
   */
  private void migrateLegacySets() {
    if (legacyMigrated) {
      return;
    }
    legacyMigrated = true;
    List<KeyValue<String, OpenForgetSet>> legacy = new ArrayList<>();
    try (KeyValueIterator<String, OpenForgetSet> all = legacySets.all()) {
      all.forEachRemaining(legacy::add);
    }
    for (KeyValue<String, OpenForgetSet> entry : legacy) {
      OpenForgetSet set = entry.value;
      String key = windowKey(set.getModelId(), set.getWindowStart());
      OpenWindow window =
          new OpenWindow(
              set.getModelId(),
              set.getWindowStart(),
              set.getSequence(),
              null,
              null,
              0,
              0,
              0,
              0,
              0,
              0);
      for (GatheredRequest request : LegacySets.requests(set)) {
        gathered.put(entryKey(key, window.nextArrival()), request);
        window = window.with(request, set.getOpenedAt() == null ? 0 : set.getOpenedAt());
      }
      windows.put(key, window);
      legacySets.delete(entry.key);
    }
    if (!legacy.isEmpty()) {
      earliestWindowEnd = null;
    }
  }
}
