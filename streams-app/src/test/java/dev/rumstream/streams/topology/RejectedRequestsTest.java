package dev.rumstream.streams.topology;

import static dev.rumstream.streams.topology.TopologyFixture.MODEL;
import static dev.rumstream.streams.topology.TopologyFixture.T0;
import static dev.rumstream.streams.topology.TopologyFixture.header;
import static dev.rumstream.streams.topology.TopologyFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ReceiptStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The rejection path: a rejected request is a value that reaches its receipt and the DLQ. */
class RejectedRequestsTest {
  @Test
  void aRejectionYieldsAReceiptADeadLetterAndItsRuleMetricButNoProcessingFailure()
      throws Exception {
    try (TopologyFixture fixture = TopologyFixture.withModel()) {
      DeletionRequest outside = request("r-out", T0, 1L, 5000L);
      byte[] original =
          fixture.serdes.requests().serializer().serialize("deletion-requests", outside);
      RecordHeaders headers = new RecordHeaders();
      headers.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
      fixture.rawRequests.pipeInput(new TestRecord<>(MODEL, original, headers, T0));

      DeletionReceipt receipt = fixture.receipts.readValue();
      assertThat(receipt.getRequestId()).isEqualTo("r-out");
      assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.REJECTED);
      assertThat(receipt.getRejection()).contains("example id 5000 is outside the dataset");

      TestRecord<byte[], byte[]> dead = fixture.deadLetters.readRecord();
      assertThat(dead.key()).isEqualTo(MODEL.getBytes(StandardCharsets.UTF_8));
      assertThat(dead.value()).isEqualTo(original);
      assertThat(header(dead, "trace-id")).as("the original headers are kept").isEqualTo("abc");
      assertThat(header(dead, "rumstream.dlq.stage")).isEqualTo("validation");
      assertThat(header(dead, "rumstream.dlq.rule")).isEqualTo("id-range");
      assertThat(header(dead, "__streams.errors.message")).isEqualTo(receipt.getRejection());
      assertThat(header(dead, "__streams.errors.partition")).isEqualTo("0");
      assertThat(header(dead, "rumstream.dlq.time")).isEqualTo(T0.toString());
      assertThat(dead.headers().lastHeader("__streams.errors.stacktrace")).isNull();
      assertThat(fixture.deadLetters.isEmpty()).isTrue();

      assertThat(fixture.counter("rumstream.requests.rejected", "rule", "id-range")).isEqualTo(1);
      assertThat(fixture.counter("rumstream.dead.letters", "stage", "validation")).isEqualTo(1);
      assertThat(fixture.counter("rumstream.dead.letters", "stage", "processing"))
          .as("a rejection is not a processing failure")
          .isZero();
      fixture.advanceWallClock(Duration.ofHours(1));
      assertThat(fixture.forgetSets.isEmpty()).isTrue();
      assertThat(fixture.jobs.isEmpty()).isTrue();
    }
  }

  @Test
  void aRequestWithoutARequestIdIsDeadLetteredWithoutAReceipt() throws Exception {
    try (TopologyFixture fixture = TopologyFixture.withModel()) {
      fixture.send(DeletionRequest.newBuilder(request("x", T0, 1L)).setRequestId(" ").build());

      assertThat(fixture.receipts.isEmpty()).as("no id to find a receipt by").isTrue();
      assertThat(header(fixture.deadLetters.readRecord(), "rumstream.dlq.rule"))
          .isEqualTo("request-id");
      assertThat(fixture.counter("rumstream.requests.rejected", "rule", "request-id")).isEqualTo(1);
    }
  }

  @Test
  void aTombstoneIsRejectedByItsOwnRule() throws Exception {
    try (TopologyFixture fixture = TopologyFixture.withModel()) {
      fixture.rawRequests.pipeInput(MODEL, null, T0);

      TestRecord<byte[], byte[]> dead = fixture.deadLetters.readRecord();
      assertThat(dead.value()).isNull();
      assertThat(header(dead, "rumstream.dlq.stage")).isEqualTo("validation");
      assertThat(header(dead, "rumstream.dlq.rule")).isEqualTo("tombstone");
      assertThat(fixture.counter("rumstream.requests.rejected", "rule", "tombstone")).isEqualTo(1);
      assertThat(fixture.counter("rumstream.dead.letters", "stage", "processing")).isZero();
    }
  }

  @Test
  void rejectionsAndAcceptedRequestsInterleaveWithoutDisturbingEachOther() throws Exception {
    try (TopologyFixture fixture = TopologyFixture.withModel()) {
      fixture.send(request("ok-1", T0, 1L));
      fixture.send(
          DeletionRequest.newBuilder(request("bad", T0, 1L)).setExampleIds(List.of()).build());
      fixture.send(request("ok-2", T0.plusSeconds(1), 2L));

      assertThat(fixture.receipts.readValuesToList())
          .extracting(DeletionReceipt::getRequestId, DeletionReceipt::getStatus)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("ok-1", ReceiptStatus.ACCEPTED),
              org.assertj.core.groups.Tuple.tuple("bad", ReceiptStatus.REJECTED),
              org.assertj.core.groups.Tuple.tuple("ok-2", ReceiptStatus.ACCEPTED));
      assertThat(fixture.deadLetters.getQueueSize()).isEqualTo(1);
      fixture.send(request("flush", T0.plus(Duration.ofMinutes(6)), 3L));
      assertThat(fixture.forgetSets.readValue().getRequestIds()).containsExactly("ok-1", "ok-2");
    }
  }
}
