package dev.rumstream.streams.topology;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.WindowCloseReason;
import dev.rumstream.avro.state.OpenForgetSet;
import dev.rumstream.avro.state.PendingExample;
import dev.rumstream.avro.state.PendingRequest;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.streams.refine.JobPlanner;
import dev.rumstream.streams.refine.Refiner;
import dev.rumstream.topics.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Steps 2 to 4 of the flow: gathers accepted requests per model into tumbling event-time windows
 * (by {@code requestedAt}), closes a set when its window ends, when it reaches the size cap, or
 * when a wall-clock punctuator finds it open for too long or near a request's deadline (so sparse
 * traffic still flushes), then annotates and refines it and emits the forget set and its jobs.
 *
 * <p>Scores come from a global store: every instance holds all of them. Requests are keyed by model
 * and scores by model and example, so a co-partitioned table join would need the requests re-keyed
 * per example and back; scores change only when a model is trained, and a model's scores are a few
 * megabytes, so replicating them is cheaper than two repartitions per request.
 */
final class ForgetSetWindows implements Processor<String, AcceptedRequest, String, Object> {
  static final Output<ForgetSet> FORGET_SETS = new Output<>("forget-sets");
  static final Output<UnlearnJob> JOBS = new Output<>("unlearn-jobs");
  static final Output<AuditRecord> AUDIT = new Output<>("scheduled-audit");
  private static final String WATERMARK = "watermark";

  private final TopologyConfig config;
  private final Refiner refiner;
  private final JobPlanner planner;
  private final SubjectHasher subjects;
  private final DeletionMetrics metrics;
  private final AuditChain audit;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, OpenForgetSet> openSets;
  private KeyValueStore<String, Long> clock;
  private ReadOnlyKeyValueStore<String, ValueAndTimestamp<MemorizationScore>> scores;

  /**
   * The earliest event time at which an open window ends (a cache over the store; null until first
   * scanned).
   */
  private Long earliestWindowEnd;

  ForgetSetWindows(TopologyConfig config, DeletionMetrics metrics) {
    this.config = config;
    this.refiner = new Refiner(config.cutRule());
    this.planner = new JobPlanner(config.policy());
    this.subjects = new SubjectHasher(config.subjectHashKey());
    this.metrics = metrics;
    this.audit = new AuditChain(config.auditKey(), config.auditActor());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.openSets = context.getStateStore(StoreNames.OPEN_FORGET_SETS);
    this.clock = context.getStateStore(StoreNames.FORGET_SET_CLOCK);
    this.scores = context.getStateStore(StoreNames.SCORES);
    context.schedule(config.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushDue);
  }

  @Override
  public void process(Record<String, AcceptedRequest> record) {
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
    String key = request.getModelId() + "@" + windowStart;
    OpenForgetSet set = openSets.get(key);
    if (set == null) {
      set =
          new OpenForgetSet(
              request.getModelId(),
              windowStart,
              0,
              null,
              new ArrayList<>(),
              null,
              new ArrayList<>());
    }
    add(set, accepted);
    if (set.getExamples().size() >= config.maxForgetSetExamples()) {
      close(set, WindowCloseReason.SIZE_CAP);
      set = emptySuccessor(set);
    }
    openSets.put(key, set);
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

  private boolean hasEnded(long windowStart, long watermark) {
    return windowStart + config.windowSize().toMillis() + config.windowGrace().toMillis()
        <= watermark;
  }

  private void add(OpenForgetSet set, AcceptedRequest accepted) {
    DeletionRequest request = accepted.request();
    if (set.getOpenedAt() == null) {
      set.setOpenedAt(context.currentSystemTimeMs());
    }
    set.getRequests()
        .add(
            PendingRequest.newBuilder()
                .setRequestId(request.getRequestId())
                .setSubjectHash(subjects.hash(request.getSubjectId()))
                .setReason(request.getReason().name())
                .setRequestedAt(request.getRequestedAt().toEpochMilli())
                .setDeadline(
                    request.getDeadline() == null ? null : request.getDeadline().toEpochMilli())
                .setFoldedDuplicateIds(accepted.foldedDuplicateIds())
                .setLate(accepted.late())
                .setAuditSequence(accepted.audit().sequence())
                .setAuditMac(accepted.audit().mac())
                .build());
    Map<Long, PendingExample> byId = new LinkedHashMap<>();
    set.getExamples().forEach(e -> byId.put(e.getExampleId(), e));
    for (long id : request.getExampleIds()) {
      PendingExample example = byId.get(id);
      if (example == null) {
        example = new PendingExample(id, new ArrayList<>());
        byId.put(id, example);
        set.getExamples().add(example);
      }
      example.getRequestIds().add(request.getRequestId());
    }
    if (request.getDeadline() != null) {
      long deadline = request.getDeadline().toEpochMilli();
      set.setEarliestDeadline(
          set.getEarliestDeadline() == null
              ? deadline
              : Math.min(set.getEarliestDeadline(), deadline));
    }
  }

  private void closeEndedWindows(long watermark) {
    Long earliest = null;
    for (KeyValue<String, OpenForgetSet> entry : snapshot()) {
      if (hasEnded(entry.value.getWindowStart(), watermark)) {
        if (!entry.value.getExamples().isEmpty()) {
          close(entry.value, WindowCloseReason.WINDOW_END);
        }
        openSets.delete(entry.key);
      } else {
        long end =
            entry.value.getWindowStart()
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
   */
  private void flushDue(long now) {
    for (KeyValue<String, OpenForgetSet> entry : snapshot()) {
      OpenForgetSet set = entry.value;
      if (set.getExamples().isEmpty()) {
        continue;
      }
      boolean waitedLongEnough = set.getOpenedAt() + config.maxWait().toMillis() <= now;
      boolean deadlineNear =
          set.getEarliestDeadline() != null
              && set.getEarliestDeadline() - config.deadlineMargin().toMillis() <= now;
      if (waitedLongEnough || deadlineNear) {
        close(set, WindowCloseReason.DEADLINE);
        openSets.put(entry.key, emptySuccessor(set));
      }
    }
    reportOldest();
  }

  private List<KeyValue<String, OpenForgetSet>> snapshot() {
    List<KeyValue<String, OpenForgetSet>> entries = new ArrayList<>();
    try (KeyValueIterator<String, OpenForgetSet> all = openSets.all()) {
      all.forEachRemaining(entries::add);
    }
    return entries;
  }

  /** After a set closes early, its window stays open under the next sequence number. */
  private static OpenForgetSet emptySuccessor(OpenForgetSet closed) {
    return new OpenForgetSet(
        closed.getModelId(),
        closed.getWindowStart(),
        closed.getSequence() + 1,
        null,
        new ArrayList<>(),
        null,
        new ArrayList<>());
  }

  private void close(OpenForgetSet open, WindowCloseReason reason) {
    long now = context.currentSystemTimeMs();
    String modelId = open.getModelId();
    List<Refiner.Candidate> candidates =
        open.getExamples().stream()
            .map(e -> new Refiner.Candidate(e.getExampleId(), e.getRequestIds()))
            .toList();
    Refiner.Refined refined =
        refiner.refine(
            candidates,
            exampleId -> {
              ValueAndTimestamp<MemorizationScore> score =
                  scores.get(Keys.score(modelId, exampleId));
              return score == null ? null : score.value();
            });
    ForgetSet set =
        ForgetSet.newBuilder()
            .setForgetSetId(modelId + "-" + open.getWindowStart() + "-" + open.getSequence())
            .setModelId(modelId)
            .setWindowStart(Instant.ofEpochMilli(open.getWindowStart()))
            .setWindowEnd(
                Instant.ofEpochMilli(open.getWindowStart() + config.windowSize().toMillis()))
            .setClosedAt(Instant.ofEpochMilli(now))
            .setCloseReason(reason)
            .setRequestIds(open.getRequests().stream().map(PendingRequest::getRequestId).toList())
            .setExamples(refined.examples())
            .setRefinement(refined.refinement())
            .setUnscoredCount(refined.unscoredCount())
            .setEarliestDeadline(
                open.getEarliestDeadline() == null
                    ? null
                    : Instant.ofEpochMilli(open.getEarliestDeadline()))
            .build();
    FORGET_SETS.forward(context, new Record<>(modelId, set, now));
    metrics.forgetSetClosed(set);
    List<RequestSummary> summaries = summaries(open);
    List<UnlearnJob> jobs = planner.plan(set, summaries, Instant.ofEpochMilli(now));
    List<RequestSummary> scheduled = scheduled(set, summaries, jobs, now);
    for (UnlearnJob job : jobs) {
      job.setRequests(scheduled);
      JOBS.forward(context, new Record<>(modelId, job, now));
      metrics.jobEmitted(job);
    }
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

  /**
   * What each request's COMPLETED receipt will report, with the number of the set's examples it
   * asked for.
   */
  private static List<RequestSummary> summaries(OpenForgetSet open) {
    Map<String, Integer> exampleCounts = new HashMap<>();
    open.getExamples()
        .forEach(e -> e.getRequestIds().forEach(r -> exampleCounts.merge(r, 1, Integer::sum)));
    return open.getRequests().stream()
        .map(
            r ->
                RequestSummary.newBuilder()
                    .setRequestId(r.getRequestId())
                    .setSubjectHash(r.getSubjectHash())
                    .setReason(r.getReason() == null ? null : DeletionReason.valueOf(r.getReason()))
                    .setReceivedAt(Instant.ofEpochMilli(r.getRequestedAt()))
                    .setDeadline(
                        r.getDeadline() == null ? null : Instant.ofEpochMilli(r.getDeadline()))
                    .setExampleCount(exampleCounts.getOrDefault(r.getRequestId(), 0))
                    .setFoldedDuplicateIds(r.getFoldedDuplicateIds())
                    .setLate(r.getLate())
                    .setAuditSequence(r.getAuditSequence())
                    .setAuditMac(r.getAuditMac())
                    .build())
        .toList();
  }

  private void reportOldest() {
    Long oldest = null;
    for (KeyValue<String, OpenForgetSet> entry : snapshot()) {
      Long openedAt = entry.value.getOpenedAt();
      if (openedAt != null && (oldest == null || openedAt < oldest)) {
        oldest = openedAt;
      }
    }
    metrics.oldestOpenSet(context.taskId().toString(), oldest);
  }
}
