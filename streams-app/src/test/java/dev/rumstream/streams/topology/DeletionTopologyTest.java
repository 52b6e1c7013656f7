package dev.rumstream.streams.topology;

import static dev.rumstream.streams.topology.TopologyFixture.MODEL;
import static dev.rumstream.streams.topology.TopologyFixture.T0;
import static dev.rumstream.streams.topology.TopologyFixture.header;
import static dev.rumstream.streams.topology.TopologyFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.audit.AuditVerification;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetExample;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.UnlearningAlgorithm;
import dev.rumstream.avro.WindowCloseReason;
import dev.rumstream.avro.state.OutstandingRequest;
import dev.rumstream.avro.state.RequestHistory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeletionTopologyTest {
  private TopologyFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new TopologyFixture();
    fixture.model(MODEL, 1000);
    fixture.confidence(MODEL, 1, 0.99); // LOW: confident, barely memorized
    fixture.confidence(MODEL, 2, 0.70); // MEDIUM
    fixture.confidence(MODEL, 3, 0.10); // HIGH: the model only learned it by heart
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void eachKindOfOutputOfAProcessorGoesToItsOwnNamedNode() {
    TopologyDescription description =
        DeletionTopology.build(
                fixture.config,
                fixture.serdes,
                new DeletionMetrics(new SimpleMeterRegistry(), () -> 0L))
            .describe();
    Map<String, List<String>> successors =
        description.subtopologies().stream()
            .flatMap(subtopology -> subtopology.nodes().stream())
            .collect(
                Collectors.toMap(
                    TopologyDescription.Node::name,
                    node ->
                        node.successors().stream().map(TopologyDescription.Node::name).toList()));
    assertThat(successors.get("deletion-requests")).containsExactly("intake");
    assertThat(successors.get("intake"))
        .containsExactlyInAnyOrder(
            "deletion-receipts", "intake-audit", "rejected-requests", "forget-set-windows");
    assertThat(successors.get("rejected-requests")).containsExactly("deletion-requests-dlq");
    assertThat(successors.get("forget-set-windows"))
        .containsExactlyInAnyOrder("forget-sets", "unlearn-jobs", "scheduled-audit");
  }

  @Test
  void anAcceptedRequestGetsAnAcceptedReceiptWithItsRepeatedIdsFolded() {
    fixture.send(request("r1", T0, 1L, 2L, 2L, 3L, 1L));

    DeletionReceipt receipt = fixture.receipts.readValue();
    assertThat(receipt.getRequestId()).isEqualTo("r1");
    assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.ACCEPTED);
    assertThat(receipt.getExampleCount()).isEqualTo(3);
    assertThat(receipt.getFoldedDuplicateIds()).isEqualTo(2);
    assertThat(receipt.getSubjectHash()).startsWith("hmac-sha256:").doesNotContain("subject-of-r1");
    assertThat(fixture.receipts.isEmpty()).isTrue();
    assertThat(fixture.counter("rumstream.requests.accepted")).isEqualTo(1);
    assertThat(fixture.counter("rumstream.requests.folded.ids")).isEqualTo(2);
    assertThat(fixture.storedReceipt("r1"))
        .as("the receipts store answers status queries")
        .isEqualTo(receipt);
  }

  static Stream<Arguments> badRequests() {
    DeletionRequest valid = request("bad", T0, 1L);
    return Stream.of(
        Arguments.of(
            "empty",
            DeletionRequest.newBuilder(valid).setExampleIds(List.of()).build(),
            "lists no example ids"),
        Arguments.of(
            "id-range",
            DeletionRequest.newBuilder(valid).setExampleIds(List.of(1L, 1000L)).build(),
            "example id 1000 is outside the dataset"),
        Arguments.of(
            "id-range",
            DeletionRequest.newBuilder(valid).setExampleIds(List.of(-5L)).build(),
            "example id -5"),
        Arguments.of(
            "unknown-model",
            DeletionRequest.newBuilder(valid).setModelId("nope").build(),
            "model 'nope' is unknown"),
        Arguments.of(
            "size",
            DeletionRequest.newBuilder(valid)
                .setExampleIds(java.util.stream.LongStream.range(0, 11).boxed().toList())
                .build(),
            "at most 10"),
        Arguments.of(
            "timestamp",
            DeletionRequest.newBuilder(valid).setRequestedAt(T0.plus(Duration.ofHours(1))).build(),
            "lies in the future"),
        Arguments.of(
            "timestamp",
            DeletionRequest.newBuilder(valid).setDeadline(T0.minusSeconds(1)).build(),
            "precedes requestedAt"),
        Arguments.of(
            "model-id",
            DeletionRequest.newBuilder(valid).setModelId("  ").build(),
            "names no model"),
        Arguments.of(
            "subject-id",
            DeletionRequest.newBuilder(valid).setSubjectId("").build(),
            "names no data subject"),
        Arguments.of(
            "subject-id",
            DeletionRequest.newBuilder(valid).setSubjectId(" \t ").build(),
            "names no data subject"),
        Arguments.of(
            "too-long",
            DeletionRequest.newBuilder(valid).setModelId("m".repeat(129)).build(),
            "modelId is 129 characters long; at most 128"),
        Arguments.of(
            "too-long",
            DeletionRequest.newBuilder(valid).setSubjectId("s".repeat(257)).build(),
            "subjectId is 257 characters long; at most 256"),
        Arguments.of(
            "too-long",
            DeletionRequest.newBuilder(valid).setReference("r".repeat(513)).build(),
            "reference is 513 characters long; at most 512"),
        Arguments.of(
            "too-long",
            DeletionRequest.newBuilder(valid).setSource("s".repeat(129)).build(),
            "source is 129 characters long; at most 128"));
  }

  /** Rejected without a receipt: there is no usable id to file one under, or it may be a resend. */
  static Stream<Arguments> badRequestsWithoutReceipt() {
    DeletionRequest valid = request("bad", T0, 1L);
    return Stream.of(
        Arguments.of(
            "request-id",
            DeletionRequest.newBuilder(valid).setRequestId("").build(),
            "has no requestId"),
        Arguments.of(
            "request-id",
            DeletionRequest.newBuilder(valid).setRequestId("   ").build(),
            "has no requestId"),
        Arguments.of(
            "request-id-format",
            DeletionRequest.newBuilder(valid).setRequestId("tickets/42").build(),
            "got 'tickets/42'"),
        Arguments.of(
            "request-id-format",
            DeletionRequest.newBuilder(valid).setRequestId("a b").build(),
            "A-Z a-z 0-9 . _ : @ -"),
        Arguments.of(
            "request-id-format",
            DeletionRequest.newBuilder(valid).setRequestId("x".repeat(129)).build(),
            "1 to 128 characters"),
        Arguments.of(
            "request-id-format",
            DeletionRequest.newBuilder(valid).setRequestId("id\nwith-newline").build(),
            "id\\u000awith-newline"),
        Arguments.of(
            "too-old",
            DeletionRequest.newBuilder(valid).setRequestedAt(T0.minus(Duration.ofDays(40))).build(),
            "may be a resend"));
  }

  @ParameterizedTest
  @MethodSource("badRequestsWithoutReceipt")
  void aRequestWithoutAUsableIdOrTooOldIsDeadLetteredWithoutAReceipt(
      String rule, DeletionRequest bad, String reason) throws Exception {
    byte[] original = fixture.serdes.requests().serializer().serialize("deletion-requests", bad);
    fixture.rawRequests.pipeInput(bad.getModelId(), original, T0);

    assertThat(fixture.receipts.isEmpty()).as("no receipt").isTrue();
    TestRecord<byte[], byte[]> dead = fixture.deadLetters.readRecord();
    assertThat(dead.value()).isEqualTo(original);
    assertThat(header(dead, "rumstream.dlq.rule")).isEqualTo(rule);
    assertThat(header(dead, "__streams.errors.message")).contains(reason);
    assertThat(fixture.counter("rumstream.requests.rejected", "rule", rule)).isEqualTo(1);
    assertThat(fixture.counter("rumstream.requests.accepted")).isZero();
  }

  @Test
  void noLaterRecordCanOverwriteTheReceiptOfAnAcceptedRequest() {
    DeletionRequest first = request("r1", T0, 1L, 2L);
    fixture.send(first);
    DeletionReceipt accepted = fixture.receipts.readValue();

    // The same id, invalid (no example ids): a conflicting reuse, not a new REJECTED receipt.
    fixture.send(DeletionRequest.newBuilder(first).setExampleIds(List.of()).build());
    // A legitimate resend 31 days later (the same content): a duplicate, nothing issued.
    fixture.advanceWallClock(Duration.ofDays(31));
    fixture.send(first);

    assertThat(fixture.receipts.isEmpty()).as("no second receipt").isTrue();
    assertThat(fixture.storedReceipt("r1")).isEqualTo(accepted);
    assertThat(header(fixture.deadLetters.readRecord(), "rumstream.dlq.rule"))
        .isEqualTo(Intake.CONFLICT);
    assertThat(fixture.deadLetters.isEmpty()).isTrue();
    assertThat(fixture.counter("rumstream.requests.duplicate")).isEqualTo(1);
  }

  @Test
  void aRequestIdReusedWithOtherContentIsDeadLetteredWithItsOwnReasonAndNeverCarriedOut() {
    fixture.send(request("r1", T0, 1L, 2L));
    fixture.send(request("r1", T0.plusSeconds(5), 7L));
    fixture.send(request("late-flush", T0.plus(Duration.ofMinutes(6)), 3L));

    assertThat(fixture.receipts.readValuesToList())
        .extracting(DeletionReceipt::getRequestId)
        .containsExactly("r1", "late-flush");
    TestRecord<byte[], byte[]> dead = fixture.deadLetters.readRecord();
    assertThat(header(dead, "rumstream.dlq.rule")).isEqualTo(Intake.CONFLICT);
    assertThat(header(dead, "__streams.errors.message"))
        .contains("request id 'r1' was accepted on")
        .contains("send it under a new id");
    assertThat(fixture.counter("rumstream.requests.rejected", "rule", Intake.CONFLICT))
        .isEqualTo(1);
    assertThat(fixture.forgetSets.readValue().getExamples())
        .extracting(ForgetExample::getExampleId)
        .containsExactly(1L, 2L);
  }

  @Test
  void aRequestWithoutADeadlineGetsTheDefaultOneMonthLater() {
    fixture.send(request("r1", T0, 1L));

    assertThat(fixture.receipts.readValue().getDeadline())
        .isEqualTo(Instant.parse("2026-12-27T08:00:00Z"));
  }

  @Test
  void aRequestArrivingAfterItsDeadlineIsAcceptedAndFlaggedLate() {
    fixture.advanceWallClock(Duration.ofDays(2));
    fixture.send(
        DeletionRequest.newBuilder(request("r1", T0, 1L))
            .setDeadline(T0.plus(Duration.ofDays(1)))
            .build());

    DeletionReceipt receipt = fixture.receipts.readValue();
    assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.ACCEPTED);
    assertThat(receipt.getLate()).isTrue();
    assertThat(fixture.counter("rumstream.requests.late")).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void aRejectedRequestGetsARejectedReceiptAndItsOriginalBytesGoToTheDeadLetterTopic(
      String rule, DeletionRequest bad, String reason) throws Exception {
    fixture.close();
    fixture = new TopologyFixture(Map.of("rumstream.intake.max.examples.per.request", "10"));
    fixture.model(MODEL, 1000);
    byte[] original = fixture.serdes.requests().serializer().serialize("deletion-requests", bad);
    fixture.rawRequests.pipeInput(bad.getModelId(), original, T0);

    DeletionReceipt receipt = fixture.receipts.readValue();
    assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.REJECTED);
    assertThat(receipt.getRejection()).contains(reason);
    TestRecord<byte[], byte[]> dead = fixture.deadLetters.readRecord();
    assertThat(dead.value()).isEqualTo(original);
    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(bad.getModelId());
    assertThat(dead.headers().lastHeader("__streams.errors.exception"))
        .as("a rejection is a value, not an exception")
        .isNull();
    assertThat(header(dead, "__streams.errors.message")).contains(reason);
    assertThat(header(dead, "__streams.errors.topic")).isEqualTo("deletion-requests");
    assertThat(header(dead, "__streams.errors.offset")).isEqualTo("0");
    assertThat(header(dead, "rumstream.dlq.stage")).isEqualTo("validation");
    assertThat(header(dead, "rumstream.dlq.rule")).isEqualTo(rule);
    assertThat(Instant.parse(header(dead, "rumstream.dlq.time"))).isNotNull();
    assertThat(fixture.counter("rumstream.requests.rejected", "rule", rule)).isEqualTo(1);
    assertThat(fixture.counter("rumstream.dead.letters", "stage", "validation")).isEqualTo(1);
    assertThat(fixture.counter("rumstream.dead.letters", "stage", "processing")).isZero();
    assertThat(fixture.counter("rumstream.requests.accepted")).isZero();
    fixture.advanceWallClock(Duration.ofHours(1));
    assertThat(fixture.forgetSets.isEmpty())
        .as("nothing of a rejected request is unlearned")
        .isTrue();
  }

  @Test
  void aRecordKeyedByAnotherModelIsRejected() {
    fixture.requests.pipeInput("other-model", request("r1", T0, 1L), T0);
    assertThat(fixture.receipts.readValue().getRejection())
        .contains("is neither the request's modelId");
    assertThat(fixture.deadLetters.getQueueSize()).isEqualTo(1);
  }

  static Stream<Arguments> unreadable() {
    return DeadLettersTest.unreadable();
  }

  /**
   * TopologyTestDriver does not capture the dead letters a deserialization handler produces (it
   * deserializes while enqueueing); their content is tested in DeadLettersTest and on the real
   * broker in DeletionPipelineIT.
   */
  @ParameterizedTest
  @MethodSource("unreadable")
  void anUnreadableRecordIsDeadLetteredAndTheApplicationCarriesOn(
      String what, byte[] bytes, String reason) {
    fixture.rawRequests.pipeInput(MODEL, bytes, T0);
    fixture.send(request("after-" + what.replace(' ', '-'), T0, 1L));

    assertThat(fixture.counter("rumstream.dead.letters", "stage", "deserialization")).isEqualTo(1);
    assertThat(fixture.receipts.readValue().getStatus())
        .as("the next request is still processed")
        .isEqualTo(ReceiptStatus.ACCEPTED);
    assertThat(fixture.receipts.isEmpty()).isTrue();
  }

  @Test
  void aTombstoneIsDeadLettered() {
    fixture.rawRequests.pipeInput(MODEL, null, T0);
    assertThat(header(fixture.deadLetters.readRecord(), "__streams.errors.message"))
        .contains("tombstone");
    assertThat(fixture.receipts.isEmpty()).isTrue();
  }

  @Test
  void aDuplicateIsRecognizedAndNeverProcessedTwice() {
    fixture.send(request("r1", T0, 1L, 2L));
    fixture.send(request("r1", T0.plusSeconds(5), 1L, 2L));
    fixture.send(request("r2", T0.plusSeconds(6), 3L));
    fixture.send(request("late-flush", T0.plus(Duration.ofMinutes(6)), 1L));

    assertThat(fixture.receipts.readValuesToList())
        .extracting(DeletionReceipt::getRequestId)
        .containsExactly("r1", "r2", "late-flush");
    ForgetSet set = fixture.forgetSets.readValue();
    assertThat(set.getRequestIds()).containsExactly("r1", "r2");
    assertThat(set.getExamples())
        .extracting(ForgetExample::getExampleId)
        .containsExactly(1L, 2L, 3L);
    assertThat(fixture.counter("rumstream.requests.duplicate")).isEqualTo(1);
  }

  @Test
  void aWindowClosesWhenEventTimePassesItsEndAndItsJobsRunLowThenMediumThenHigh() {
    fixture.send(request("r1", T0, 3L, 1L));
    fixture.send(request("r2", T0.plusSeconds(100), 2L, 999L));
    fixture.send(request("r3", T0.plus(Duration.ofMinutes(5)).plusSeconds(10), 1L));
    assertThat(fixture.forgetSets.isEmpty()).as("still inside the grace period").isTrue();

    fixture.send(request("r4", T0.plus(Duration.ofMinutes(5)).plusSeconds(30), 2L));
    ForgetSet set = fixture.forgetSets.readValue();
    assertThat(set.getCloseReason()).isEqualTo(WindowCloseReason.WINDOW_END);
    assertThat(set.getWindowStart()).isEqualTo(T0);
    assertThat(set.getWindowEnd()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(set.getForgetSetId()).isEqualTo(MODEL + "-" + T0.toEpochMilli() + "-p0-0");
    assertThat(set.getRequestIds()).containsExactly("r1", "r2");
    assertThat(set.getExamples())
        .extracting(ForgetExample::getExampleId, ForgetExample::getLevel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3L, MemorizationLevel.HIGH),
            org.assertj.core.groups.Tuple.tuple(1L, MemorizationLevel.LOW),
            org.assertj.core.groups.Tuple.tuple(2L, MemorizationLevel.MEDIUM),
            org.assertj.core.groups.Tuple.tuple(999L, MemorizationLevel.HIGH));
    assertThat(set.getUnscoredCount()).as("example 999 has no score").isEqualTo(1);
    assertThat(set.getExamples().get(3).getScored()).isFalse();
    assertThat(set.getRefinement().getMethod()).isEqualTo(RefinementMethod.TRAINING_TERTILES);
    assertThat(set.getRefinement().getLowerCut()).isEqualTo(0.9);
    assertThat(set.getRefinement().getUpperCut()).isEqualTo(0.5);

    List<UnlearnJob> jobs = fixture.jobs.readValuesToList();
    assertThat(jobs)
        .extracting(UnlearnJob::getLevel)
        .containsExactly(MemorizationLevel.LOW, MemorizationLevel.MEDIUM, MemorizationLevel.HIGH);
    assertThat(jobs)
        .extracting(UnlearnJob::getJobId)
        .containsExactly(
            set.getForgetSetId() + "-0", set.getForgetSetId() + "-1", set.getForgetSetId() + "-2");
    assertThat(jobs).extracting(UnlearnJob::getJobCount).containsOnly(3);
    assertThat(jobs)
        .extracting(UnlearnJob::getExampleIds)
        .containsExactly(List.of(1L), List.of(2L), List.of(3L, 999L));
    assertThat(jobs)
        .extracting(UnlearnJob::getAlgorithm)
        .containsExactly(
            UnlearningAlgorithm.NONE,
            UnlearningAlgorithm.FINE_TUNE,
            UnlearningAlgorithm.RANDOM_LABEL);
    assertThat(jobs.get(1).getHyperParameters())
        .containsEntry("lr", "0.1")
        .containsEntry("epochs", "10");
    assertThat(jobs.get(2).getHyperParameters())
        .containsEntry("lr", "0.0359")
        .containsEntry("epochs", "10");
    assertThat(jobs).extracting(UnlearnJob::getRequestIds).containsOnly(List.of("r1", "r2"));
    assertThat(jobs.get(2).getRequests())
        .extracting(
            RequestSummary::getRequestId,
            RequestSummary::getExampleCount,
            RequestSummary::getReason,
            RequestSummary::getReceivedAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("r1", 2, DeletionReason.GDPR_ERASURE, T0),
            org.assertj.core.groups.Tuple.tuple(
                "r2", 2, DeletionReason.GDPR_ERASURE, T0.plusSeconds(100)));
    assertThat(jobs.get(2).getRequests().get(0).getSubjectHash())
        .startsWith("hmac-sha256:")
        .isEqualTo(fixture.receipts.readValuesToList().get(0).getSubjectHash());
    assertThat(fixture.counter("rumstream.forget.sets.emitted", "close_reason", "WINDOW_END"))
        .isEqualTo(1);
    assertThat(
            fixture.counter("rumstream.jobs.emitted", "level", "HIGH", "algorithm", "RANDOM_LABEL"))
        .isEqualTo(1);
  }

  @Test
  void aFullSetClosesBeforeARequestThatDoesNotFitAndItsWindowContinuesUnderTheNextSequenceNumber()
      throws Exception {
    fixture.close();
    fixture = new TopologyFixture(Map.of("rumstream.window.max.examples", "3"));
    fixture.model(MODEL, 1000);
    fixture.send(request("r1", T0, 10L, 11L));
    assertThat(fixture.forgetSets.isEmpty()).isTrue();
    fixture.send(request("r2", T0.plusSeconds(1), 11L, 12L));

    ForgetSet first = fixture.forgetSets.readValue();
    assertThat(first.getCloseReason()).isEqualTo(WindowCloseReason.SIZE_CAP);
    assertThat(first.getRequestIds())
        .as("r2 would take the set to 4 example ids: the set closed before it")
        .containsExactly("r1");
    assertThat(first.getExamples())
        .extracting(ForgetExample::getExampleId)
        .containsExactly(10L, 11L);
    assertThat(first.getForgetSetId()).endsWith("-0");
    assertThat(first.getRefinement().getMethod())
        .as("no scores: the set's own tertiles")
        .isEqualTo(RefinementMethod.FORGET_SET_TERTILES);

    fixture.send(request("r3", T0.plusSeconds(2), 13L));
    ForgetSet second = fixture.forgetSets.readValue();
    assertThat(second.getForgetSetId()).endsWith("-1");
    assertThat(second.getCloseReason()).isEqualTo(WindowCloseReason.SIZE_CAP);
    assertThat(second.getRequestIds())
        .as("full at 3 ids: closed at once")
        .containsExactly("r2", "r3");

    fixture.send(request("big", T0.plusSeconds(3), 20L, 21L, 22L, 23L));
    ForgetSet alone = fixture.forgetSets.readValue();
    assertThat(alone.getForgetSetId()).endsWith("-2");
    assertThat(alone.getRequestIds())
        .as("a request larger than the cap is never split: it makes a set of its own")
        .containsExactly("big");
    assertThat(alone.getExamples()).hasSize(4);

    fixture.send(request("r4", T0.plusSeconds(4), 30L));
    fixture.send(request("flush", T0.plus(Duration.ofMinutes(6)), 14L));
    ForgetSet last = fixture.forgetSets.readValue();
    assertThat(last.getForgetSetId()).endsWith("-3");
    assertThat(last.getCloseReason()).isEqualTo(WindowCloseReason.WINDOW_END);
    assertThat(last.getRequestIds()).containsExactly("r4");
  }

  @Test
  void theWallClockFlushesASetWhenNoFurtherRequestsArrive() {
    fixture.send(request("lonely", T0, 2L));
    fixture.advanceWallClock(Duration.ofMinutes(9));
    assertThat(fixture.forgetSets.isEmpty()).isTrue();
    assertThat(fixture.meters.get("rumstream.open.forget.set.oldest.age").gauge().value())
        .isEqualTo(9 * 60.0);

    fixture.advanceWallClock(Duration.ofMinutes(1).plusSeconds(5));
    ForgetSet set = fixture.forgetSets.readValue();
    assertThat(set.getCloseReason()).isEqualTo(WindowCloseReason.DEADLINE);
    assertThat(set.getRequestIds()).containsExactly("lonely");
    assertThat(fixture.jobs.readValuesToList())
        .extracting(UnlearnJob::getLevel)
        .containsExactly(MemorizationLevel.MEDIUM);

    fixture.advanceWallClock(Duration.ofMinutes(30));
    assertThat(fixture.forgetSets.isEmpty()).as("an emptied set is not flushed again").isTrue();
  }

  @Test
  void aSetIsFlushedEarlyWhenARequestsDeadlineIsNear() {
    fixture.send(
        DeletionRequest.newBuilder(request("urgent", T0, 1L))
            .setDeadline(T0.plus(Duration.ofHours(12)))
            .build());
    fixture.advanceWallClock(Duration.ofSeconds(6));
    ForgetSet set = fixture.forgetSets.readValue();
    assertThat(set.getCloseReason()).isEqualTo(WindowCloseReason.DEADLINE);
    assertThat(set.getEarliestDeadline()).isEqualTo(T0.plus(Duration.ofHours(12)));
    assertThat(fixture.jobs.readValue().getDeadline()).isEqualTo(T0.plus(Duration.ofHours(12)));
  }

  @Test
  void aRequestLaterThanTheGracePeriodJoinsTheOpenWindowInsteadOfBeingLost() {
    fixture.send(request("now", T0.plus(Duration.ofMinutes(20)), 1L));
    fixture.send(request("late", T0, 2L));
    fixture.send(request("flush", T0.plus(Duration.ofMinutes(26)), 3L));
    ForgetSet set = fixture.forgetSets.readValue();
    assertThat(set.getRequestIds()).containsExactly("now", "late");
    assertThat(set.getWindowStart()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
  }

  @Test
  void aModelKnownOnlyFromItsScoresIsAccepted() {
    fixture.confidence("scored-only", 5, 0.3);
    fixture.requests.pipeInput(
        "scored-only",
        DeletionRequest.newBuilder(request("s1", T0, 5L, 123_456L))
            .setModelId("scored-only")
            .build(),
        T0);
    assertThat(fixture.receipts.readValue().getStatus()).isEqualTo(ReceiptStatus.ACCEPTED);
  }

  @Test
  void theRumFPresetAppliesNegGradPlusWithPerLevelHyperParameters() throws Exception {
    fixture.close();
    fixture =
        new TopologyFixture(
            Map.of(
                "rumstream.policy.preset",
                "RUM_F_NEG_GRAD_PLUS",
                "rumstream.policy.high.hp.epochs",
                "12"));
    fixture.model(MODEL, 1000);
    fixture.confidence(MODEL, 1, 0.99);
    fixture.confidence(MODEL, 3, 0.10);
    fixture.send(request("r1", T0, 1L, 3L));
    fixture.send(request("flush", T0.plus(Duration.ofMinutes(6)), 1L));

    List<UnlearnJob> jobs = fixture.jobs.readValuesToList();
    assertThat(jobs)
        .extracting(UnlearnJob::getLevel)
        .containsExactly(MemorizationLevel.LOW, MemorizationLevel.HIGH);
    assertThat(jobs)
        .extracting(UnlearnJob::getAlgorithm)
        .containsOnly(UnlearningAlgorithm.NEG_GRAD_PLUS);
    assertThat(jobs.get(0).getHyperParameters())
        .containsEntry("alpha", "0.99")
        .containsEntry("lr", "0.01");
    assertThat(jobs.get(1).getHyperParameters())
        .containsEntry("alpha", "0.97")
        .containsEntry("lr", "0.001")
        .containsEntry("epochs", "12");
    assertThat(jobs).extracting(UnlearnJob::getIndex).containsExactly(0, 1);
    assertThat(jobs).extracting(UnlearnJob::getJobCount).containsOnly(2);
  }

  @Test
  void everyRequestStartsAnAuditTrailThatTheJobsCarryOnAndTheHistoryStoreReadsBack() {
    fixture.send(request("r1", T0, 1L, 2L, 2L));
    fixture.send(DeletionRequest.newBuilder(request("r2", T0, 3L)).setModelId("nope").build());
    AuditChain chain = new AuditChain(AuditChain.DEVELOPMENT_KEY, "check");

    AuditRecord accepted = fixture.audit.readValue();
    assertThat(accepted.getRequestId()).isEqualTo("r1");
    assertThat(accepted.getTransition()).isEqualTo(AuditTransition.ACCEPTED);
    assertThat(accepted.getSequence()).isZero();
    assertThat(accepted.getPreviousMac()).isNull();
    assertThat(accepted.getActor()).isEqualTo("rumstream-streams");
    assertThat(accepted.getDetails())
        .containsEntry("exampleCount", "2")
        .containsEntry("foldedDuplicateIds", "1")
        .containsEntry("late", "false")
        .containsEntry("deadline", "2026-12-27T08:00:00Z");
    assertThat(chain.authentic(accepted)).isTrue();
    AuditRecord rejected = fixture.audit.readValue();
    assertThat(rejected.getRequestId()).isEqualTo("r2");
    assertThat(rejected.getTransition()).isEqualTo(AuditTransition.REJECTED);
    assertThat(rejected.getDetails()).containsEntry("rule", "unknown-model");
    assertThat(chain.authentic(rejected)).isTrue();
    assertThat(fixture.audit.isEmpty()).isTrue();

    fixture.advanceWallClock(Duration.ofMinutes(11));
    ForgetSet set = fixture.forgetSets.readValue();
    List<UnlearnJob> jobs = fixture.jobs.readValuesToList();
    AuditRecord scheduled = fixture.audit.readValue();
    assertThat(scheduled.getTransition()).isEqualTo(AuditTransition.SCHEDULED);
    assertThat(scheduled.getSequence()).isEqualTo(1);
    assertThat(scheduled.getPreviousMac()).isEqualTo(accepted.getMac());
    assertThat(scheduled.getDetails())
        .containsEntry("forgetSetId", set.getForgetSetId())
        .containsEntry("examples", "2")
        .containsEntry("jobs", String.join(",", jobs.stream().map(UnlearnJob::getJobId).toList()));
    assertThat(chain.authentic(scheduled)).isTrue();
    assertThat(jobs).isNotEmpty();
    assertThat(jobs.subList(0, jobs.size() - 1))
        .as("only the last job completes the set's requests, so only it carries them")
        .allSatisfy(job -> assertThat(job.getRequests()).isEmpty());
    assertThat(jobs.get(jobs.size() - 1).getRequests())
        .singleElement()
        .satisfies(
            summary -> {
              assertThat(summary.getAuditSequence()).isEqualTo(1);
              assertThat(summary.getAuditMac()).isEqualTo(scheduled.getMac());
            });

    RequestHistory history =
        (RequestHistory) fixture.driver.getKeyValueStore(StoreNames.HISTORY).get("r1");
    assertThat(history.getRecords()).as("read back from deletion-audit").hasSize(2);
    List<AuditVerification.Entry> entries = new ArrayList<>();
    for (AuditRecord record : List.of(accepted, scheduled)) {
      entries.add(new AuditVerification.Entry(0, entries.size(), "r1", record, null));
    }
    assertThat(new AuditVerification(chain).verify(entries, java.util.Set.of()).verified())
        .isTrue();

    var outstanding =
        fixture.driver.<String, OutstandingRequest>getKeyValueStore(StoreNames.OUTSTANDING);
    assertThat(outstanding.get("r2")).as("a rejected request is not pending").isNull();
    OutstandingRequest pending = outstanding.get("r1");
    assertThat(pending.getStage()).as("its jobs are queued").isEqualTo("SCHEDULED");
    assertThat(pending.getDeadline())
        .isEqualTo(java.time.Instant.parse("2026-12-27T08:00:00Z").toEpochMilli());
    AuditRecord completed =
        chain.next(
            AuditChain.Link.of(scheduled),
            "r1",
            AuditTransition.COMPLETED,
            T0.plusSeconds(900),
            MODEL,
            java.util.Map.of("version", "1"));
    fixture
        .driver
        .createInputTopic(
            fixture.config.topic(dev.rumstream.topics.Topic.DELETION_AUDIT),
            new org.apache.kafka.common.serialization.StringSerializer(),
            fixture.serdes.audit().serializer())
        .pipeInput("r1", completed);
    assertThat(outstanding.get("r1")).as("COMPLETED: no longer pending").isNull();
  }
}
