package dev.rumstream.streams.topology;

import static dev.rumstream.streams.topology.TopologyFixture.MODEL;
import static dev.rumstream.streams.topology.TopologyFixture.T0;
import static dev.rumstream.streams.topology.TopologyFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetExample;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.WindowCloseReason;
import dev.rumstream.avro.state.OpenForgetSet;
import dev.rumstream.avro.state.OutstandingRequest;
import dev.rumstream.avro.state.PendingExample;
import dev.rumstream.avro.state.PendingRequest;
import dev.rumstream.avro.state.RequestHistory;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The forget-set state: one entry per request, what an upgrade carries over from the releases that
 * kept a set as one record (and from those that wrote the status stores in the registry format),
 * the limits that keep every record far from the broker's 1 MB, and requests keyed to spread a
 * model over partitions.
 */
class ForgetSetStateTest {
  private TopologyFixture fixture;

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void eachRequestIsOneEntryAndAClosedSetLeavesNoneBehind() throws Exception {
    fixture = TopologyFixture.withModel();
    fixture.send(request("r1", T0, 1L, 2L));
    fixture.send(request("r2", T0.plusSeconds(1), 2L, 3L));
    KeyValueStore<String, GatheredRequest> entries =
        fixture.driver.getKeyValueStore(StoreNames.GATHERED_REQUESTS);
    KeyValueStore<String, OpenWindow> windows =
        fixture.driver.getKeyValueStore(StoreNames.OPEN_WINDOWS);
    assertThat(count(entries)).isEqualTo(2);
    OpenWindow window = windows.get(ForgetSetWindows.windowKey(MODEL, T0.toEpochMilli()));
    assertThat(window.requests()).isEqualTo(2);
    assertThat(window.exampleIds()).isEqualTo(4);
    assertThat(window.openedAt()).isEqualTo(T0.toEpochMilli());

    fixture.advanceWallClock(Duration.ofMinutes(11));
    ForgetSet set = fixture.forgetSets.readValue();
    assertThat(set.getExamples())
        .extracting(ForgetExample::getExampleId)
        .containsExactly(1L, 2L, 3L);
    assertThat(set.getExamples().get(1).getRequestIds()).containsExactly("r1", "r2");
    assertThat(count(entries)).as("a closed set's entries are deleted").isZero();
    assertThat(windows.get(ForgetSetWindows.windowKey(MODEL, T0.toEpochMilli())).isEmpty())
        .isTrue();
  }

  @Test
  void theReceiptsStoreRestoresFromTheReceiptsTopicNotAChangelogOfItsOwn() throws Exception {
    fixture = TopologyFixture.withModel();
    fixture.send(request("r1", T0, 1L));
    assertThat(fixture.receipts.readValue().getStatus()).isEqualTo(ReceiptStatus.ACCEPTED);
    assertThat(fixture.driver.producedTopicNames())
        .as("changelogs written")
        .anyMatch(t -> t.endsWith("-changelog"))
        .noneMatch(t -> t.endsWith("-" + StoreNames.RECEIPTS + "-changelog"));
    assertThat(fixture.storedReceipt("r1").getStatus()).isEqualTo(ReceiptStatus.ACCEPTED);
  }

  @Test
  void openSetsOfTheOneRecordStateCarryOverWithoutLossOrDuplication() throws Exception {
    fixture = TopologyFixture.withModel();
    KeyValueStore<String, OpenForgetSet> legacy =
        fixture.driver.getKeyValueStore(StoreNames.LEGACY_OPEN_FORGET_SETS);
    // As the previous release left it: its second set of the window (one closed early), two
    // requests sharing example 6, keyed model@windowStart.
    long window = T0.toEpochMilli();
    legacy.put(
        MODEL + "@" + window,
        new OpenForgetSet(
            MODEL,
            window,
            1,
            T0.toEpochMilli(),
            new ArrayList<>(
                List.of(
                    new PendingExample(5L, new ArrayList<>(List.of("old-1"))),
                    new PendingExample(6L, new ArrayList<>(List.of("old-1", "old-2"))))),
            null,
            new ArrayList<>(List.of(pending("old-1", window), pending("old-2", window + 1000)))));

    fixture.send(request("new-1", T0.plusSeconds(30), 6L, 7L));
    assertThat(count(legacy)).as("migrated on the first record").isZero();
    fixture.send(request("flush", T0.plus(Duration.ofMinutes(6)), 8L));

    ForgetSet set = fixture.forgetSets.readValue();
    assertThat(set.getForgetSetId()).as("the set keeps its sequence").endsWith("-1");
    assertThat(set.getRequestIds()).containsExactly("old-1", "old-2", "new-1");
    assertThat(set.getExamples())
        .extracting(ForgetExample::getExampleId)
        .containsExactly(5L, 6L, 7L);
    assertThat(set.getExamples().get(1).getRequestIds()).containsExactly("old-1", "old-2", "new-1");
    List<UnlearnJob> jobs = fixture.jobs.readValuesToList();
    assertThat(jobs.get(jobs.size() - 1).getRequests())
        .extracting(s -> s.getRequestId() + ":" + s.getExampleCount())
        .containsExactly("old-1:2", "old-2:1", "new-1:2");
    fixture.advanceWallClock(Duration.ofMinutes(20));
    assertThat(fixture.forgetSets.readValuesToList())
        .as("nothing of the old set comes out twice")
        .allSatisfy(s -> assertThat(s.getRequestIds()).containsExactly("flush"));
  }

  @Test
  void requestIdsRememberedByThePreviousReleaseStillMakeDuplicatesAfterTheyMove() throws Exception {
    fixture = TopologyFixture.withModel();
    DeletionRequest old = request("old-1", T0, 5L);
    KeyValueStore<String, Long> ids =
        fixture.driver.getKeyValueStore(StoreNames.LEGACY_REQUEST_IDS);
    KeyValueStore<String, String> fingerprints =
        fixture.driver.getKeyValueStore(StoreNames.LEGACY_REQUEST_FINGERPRINTS);
    ids.put("old-1", T0.minusSeconds(60).toEpochMilli());
    fingerprints.put("old-1", fingerprintOf(old));

    fixture.send(old);
    assertThat(fixture.receipts.isEmpty()).as("a duplicate before the move").isTrue();
    fixture.advanceWallClock(Duration.ofSeconds(2));
    assertThat(count(ids)).as("moved into the window store").isZero();
    assertThat(count(fingerprints)).isZero();
    assertStillRemembered(old, 2);
  }

  private String fingerprintOf(DeletionRequest request) {
    return RequestFingerprint.of(
        request, new SubjectHasher(fixture.config.subjectHashKey()).hash(request.getSubjectId()));
  }

  /** The request sent again is a duplicate, other content under its id a conflict. */
  private void assertStillRemembered(DeletionRequest old, int duplicates) {
    fixture.send(old);
    fixture.send(request(old.getRequestId(), T0.plusSeconds(3), 9L));
    assertThat(fixture.receipts.isEmpty()).isTrue();
    assertThat(fixture.counter("rumstream.requests.duplicate")).isEqualTo(duplicates);
    assertThat(fixture.counter("rumstream.requests.rejected", "rule", Intake.CONFLICT))
        .as("other content under the moved id is still a conflict")
        .isEqualTo(1);
  }

  @Test
  void requestIdsRememberedByExactTimeMoveIntoPeriodsAndStayDuplicates() throws Exception {
    fixture = TopologyFixture.withModel();
    DeletionRequest old = request("old-2", T0, 5L);
    WindowStore<String, byte[]> byTime =
        fixture.driver.getWindowStore(StoreNames.LEGACY_ACCEPTED_REQUEST_IDS);
    byTime.put(
        "old-2", HexFormat.of().parseHex(fingerprintOf(old)), T0.minusSeconds(60).toEpochMilli());
    // Remembered before fingerprints: any content under this id is the same request.
    byTime.put("old-3", new byte[0], T0.minusSeconds(30).toEpochMilli());

    fixture.send(old);
    assertThat(fixture.receipts.isEmpty()).as("a duplicate before the move").isTrue();
    fixture.advanceWallClock(Duration.ofSeconds(2));
    try (var left = byTime.all()) {
      assertThat(left.hasNext()).as("moved into the store by period").isFalse();
    }
    WindowStore<String, byte[]> byPeriod =
        fixture.driver.getWindowStore(StoreNames.ACCEPTED_REQUEST_IDS);
    try (var moved = byPeriod.all()) {
      assertThat(moved.hasNext()).isTrue();
    }
    fixture.send(request("old-3", T0.plusSeconds(3), 9L));
    assertStillRemembered(old, 3);
  }

  /**
   * Under exactly-once, a persistent store without a committed offset makes Kafka Streams restore
   * its whole task at the next start, even after a clean stop; the store of ids by exact time is
   * never written once its ids have moved, so the move writes it a tombstone (the restart benchmark
   * measures the outcome: nothing restored after SIGTERM).
   */
  @Test
  void theEmptiedStoreOfIdsByExactTimeStillGetsAChangelogOffset() throws Exception {
    fixture = TopologyFixture.withModel();
    String changelog = "-" + StoreNames.LEGACY_ACCEPTED_REQUEST_IDS + "-changelog";
    fixture.send(request("r1", T0, 1L));
    assertThat(fixture.driver.producedTopicNames()).noneMatch(t -> t.endsWith(changelog));
    fixture.advanceWallClock(Duration.ofSeconds(2));
    assertThat(fixture.driver.producedTopicNames()).anyMatch(t -> t.endsWith(changelog));
  }

  @Test
  void theStatusStoresReadWhatEarlierReleasesWroteInTheRegistryFormatAndWriteTheirOwn()
      throws Exception {
    fixture = TopologyFixture.withModel();
    Map<String, Object> registry =
        Map.of("schema.registry.url", fixture.registry.url(), "auto.register.schemas", "true");
    String changelog = "rumstream-test-request-history-changelog";
    RequestHistory history =
        new RequestHistory(
            new ArrayList<>(
                List.of(ByteBuffer.wrap(new byte[] {0, 1, 2}), ByteBuffer.wrap(new byte[] {7}))));
    byte[] before =
        Topic.<RequestHistory>avroSerde(registry).serializer().serialize(changelog, history);
    Serde<RequestHistory> histories = fixture.serdes.histories();
    RequestHistory read = histories.deserializer().deserialize(changelog, before);
    assertThat(read).isEqualTo(history);
    read.getRecords().add(ByteBuffer.wrap(new byte[] {9, 9}));
    byte[] now = histories.serializer().serialize(changelog, read);
    assertThat(now[0]).as("the compact format's first byte").isEqualTo((byte) 1);
    assertThat(histories.deserializer().deserialize(changelog, now)).isEqualTo(read);

    changelog = "rumstream-test-outstanding-requests-changelog";
    OutstandingRequest outstanding = new OutstandingRequest(MODEL, 5L, null, "SCHEDULED");
    byte[] old =
        Topic.<OutstandingRequest>avroSerde(registry)
            .serializer()
            .serialize(changelog, outstanding);
    Serde<OutstandingRequest> entries = fixture.serdes.outstanding();
    assertThat(entries.deserializer().deserialize(changelog, old)).isEqualTo(outstanding);
    OutstandingRequest due = new OutstandingRequest(MODEL, 5L, 9L, "ACCEPTED");
    assertThat(
            entries
                .deserializer()
                .deserialize(changelog, entries.serializer().serialize(changelog, due)))
        .isEqualTo(due);
  }

  @Test
  void anIdIsRememberedForTheWholeRetentionAcrossPeriods() throws Exception {
    fixture = TopologyFixture.withModel();
    DeletionRequest first = request("r-long", T0, 5L);
    fixture.send(first);
    assertThat(fixture.receipts.readValue().getStatus()).isEqualTo(ReceiptStatus.ACCEPTED);
    Duration retention = fixture.config.dedupRetention();
    // A request accepted later moves the store's time into the next period.
    fixture.advanceWallClock(retention.minusHours(1));
    fixture.send(request("r-other", T0.plus(retention.minusHours(1)), 6L));
    fixture.send(DeletionRequest.newBuilder(first).setExampleIds(List.of(7L)).build());
    assertThat(fixture.counter("rumstream.requests.rejected", "rule", Intake.CONFLICT))
        .as("still remembered just before the retention ends")
        .isEqualTo(1);
  }

  @Test
  void requestsKeyedByModelAndBucketAreAcceptedAndCopiesOfOneRequestMeet() throws Exception {
    fixture = TopologyFixture.withModel();
    DeletionRequest r = request("spread-1", T0, 5L);
    String key = Keys.request(MODEL, "spread-1");
    assertThat(key).startsWith(MODEL + "#");
    fixture.requests.pipeInput(key, r, T0);
    fixture.requests.pipeInput(key, r, T0);
    assertThat(fixture.receipts.readValuesToList())
        .extracting(d -> d.getStatus())
        .containsExactly(ReceiptStatus.ACCEPTED);
    assertThat(fixture.counter("rumstream.requests.duplicate")).isEqualTo(1);

    String wrongBucket =
        MODEL + "#" + (Math.floorMod("spread-2".hashCode(), Keys.REQUEST_BUCKETS) + 1);
    fixture.requests.pipeInput(wrongBucket, request("spread-2", T0, 6L), T0);
    assertThat(fixture.receipts.readValue().getRejection())
        .contains("is neither the request's modelId");
  }

  /**
   * The largest settings the config allows, the longest request ids: every forget set and job stays
   * within the budget, half the broker's default limit.
   */
  @Test
  void noRecordApproachesTheBrokerLimitAtTheLargestSettings() throws Exception {
    int perRequest = RecordBudget.maxExamplesPerRequest();
    fixture =
        new TopologyFixture(
            Map.of(
                "rumstream.intake.max.examples.per.request", Integer.toString(perRequest),
                "rumstream.window.max.examples", Integer.toString(Integer.MAX_VALUE)));
    fixture.model(MODEL, 10_000_000);
    String prefix = "x".repeat(RecordBudget.MAX_REQUEST_ID - 8);
    Instant at = T0;
    // Requests of every size up to the largest: the forget set's budget binds.
    for (int i = 0; i < 6; i++) {
      long first = (long) i * perRequest;
      fixture.send(request(String.format("%s%08d", prefix, i), at, ids(first, first + perRequest)));
    }
    // Many one-example requests: the last job's request summaries bind.
    for (int i = 6; i < 3000; i++) {
      fixture.send(request(String.format("%s%08d", prefix, i), at, 1_000_000L + i));
    }
    fixture.advanceWallClock(Duration.ofMinutes(11));

    List<ForgetSet> sets = fixture.forgetSets.readValuesToList();
    List<UnlearnJob> jobs = fixture.jobs.readValuesToList();
    assertThat(sets).hasSizeGreaterThan(2);
    assertThat(sets.stream().mapToInt(s -> s.getRequestIds().size()).sum()).isEqualTo(3000);
    assertThat(sets.subList(0, sets.size() - 1))
        .allSatisfy(s -> assertThat(s.getCloseReason()).isEqualTo(WindowCloseReason.SIZE_CAP));
    String forgetSets = fixture.config.topic(Topic.FORGET_SETS);
    String jobTopic = fixture.config.topic(Topic.UNLEARN_JOBS);
    int largestSet =
        sets.stream()
            .mapToInt(s -> fixture.serdes.forgetSets().serializer().serialize(forgetSets, s).length)
            .max()
            .orElseThrow();
    int largestJob =
        jobs.stream()
            .mapToInt(j -> fixture.serdes.jobs().serializer().serialize(jobTopic, j).length)
            .max()
            .orElseThrow();
    assertThat(largestSet).isLessThanOrEqualTo(RecordBudget.MAX_RECORD_BYTES);
    assertThat(largestJob).isLessThanOrEqualTo(RecordBudget.MAX_RECORD_BYTES);
    assertThat(Math.max(largestSet, largestJob))
        .as("the budget is used, not a loose bound that closes sets early")
        .isGreaterThan(RecordBudget.MAX_RECORD_BYTES / 2);
  }

  private static Long[] ids(long from, long to) {
    return LongStream.range(from, to).boxed().toArray(Long[]::new);
  }

  private static PendingRequest pending(String id, long requestedAt) {
    return PendingRequest.newBuilder()
        .setRequestId(id)
        .setSubjectHash("hmac-sha256:" + id)
        .setReason("GDPR_ERASURE")
        .setRequestedAt(requestedAt)
        .build();
  }

  private static long count(KeyValueStore<String, ?> store) {
    try (var all = store.all()) {
      long n = 0;
      while (all.hasNext()) {
        all.next();
        n++;
      }
      return n;
    }
  }
}
