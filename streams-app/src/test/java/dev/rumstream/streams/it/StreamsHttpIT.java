package dev.rumstream.streams.it;

import static dev.rumstream.streams.it.PipelineHarness.MODEL;
import static dev.rumstream.streams.it.PipelineHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The streams app's HTTP endpoints over a running instance. */
@ExtendWith(KafkaEnvironmentExtension.class)
class StreamsHttpIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthMetricsAndRequestStatusAnswerFromTheRunningInstance(TestEnvironment environment)
      throws Exception {
    try (PipelineHarness harness = new PipelineHarness(environment, Map.of())) {
      harness.publishModel();
      try (ServiceShell<StreamsService> shell = StreamsService.shell(harness.settings)) {
        shell.startHttp();
        String base = "http://127.0.0.1:" + shell.port();
        assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(base + "/health/ready").statusCode())
            .as("not RUNNING before start")
            .isEqualTo(503);

        shell.start();
        PipelineHarness.awaitRunning(shell);
        assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);

        harness.sendRaw(MODEL, harness.bytes(request("status-1", List.of(4L, 5L, 4L))));
        harness.flush();
        assertThat(harness.receipts(1)).hasSize(1);
        JsonNode receipt = awaitReceipt(base + "/requests/status-1");
        assertThat(receipt.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.path("exampleCount").asInt()).isEqualTo(2);
        assertThat(receipt.path("foldedDuplicateIds").asInt()).isEqualTo(1);
        assertThat(receipt.path("subjectHash").asText()).startsWith("hmac-sha256:");

        HttpResponse<String> unknown = get(base + "/requests/never-sent");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no receipt for request 'never-sent'");

        String scrape = get(base + "/metrics").body();
        assertThat(scrape)
            .contains("rumstream_requests_accepted_total 1.0")
            .contains("rumstream_open_forget_set_oldest_age_seconds")
            .contains("kafka_stream_thread_process_total");
      }
    }
  }

  @Test
  void pendingListsTheNearestDeadlineFirstAndTheSlackGaugeFollowsIt(TestEnvironment environment)
      throws Exception {
    try (PipelineHarness harness = new PipelineHarness(environment, Map.of())) {
      harness.publishModel();
      try (ServiceShell<StreamsService> shell = StreamsService.shell(harness.settings)) {
        shell.start();
        PipelineHarness.awaitRunning(shell);
        String base = "http://127.0.0.1:" + shell.port();
        Instant now = Instant.now();
        harness.sendRaw(MODEL, harness.bytes(request("later", List.of(1L))));
        harness.sendRaw(
            MODEL,
            harness.bytes(
                DeletionRequest.newBuilder(request("soon", List.of(2L)))
                    .setDeadline(now.plus(Duration.ofHours(2)))
                    .build()));
        harness.flush();

        JsonNode pending = awaitPending(base, 2);
        assertThat(pending.path("complete").asBoolean()).isTrue();
        JsonNode first = pending.path("pending").get(0);
        assertThat(first.path("requestId").asText()).isEqualTo("soon");
        assertThat(first.path("slackSeconds").asLong()).isBetween(3_000L, 7_200L);
        assertThat(first.path("deadline").asText())
            .isEqualTo(now.plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS).toString());
        JsonNode second = pending.path("pending").get(1);
        assertThat(second.path("requestId").asText()).isEqualTo("later");
        assertThat(second.path("slackSeconds").asLong())
            .as("the default deadline: a month")
            .isGreaterThan(27L * 24 * 3600);

        String scrape = get(base + "/metrics").body();
        assertThat(scrape).contains("rumstream_requests_pending 2.0");
        double slack =
            Double.parseDouble(
                scrape
                    .lines()
                    .filter(l -> l.startsWith("rumstream_requests_pending_min_slack_seconds "))
                    .findFirst()
                    .orElseThrow()
                    .split(" ")[1]);
        assertThat(slack).isBetween(3_000.0, 7_200.0);
        assertThat(get(base + "/requests?status=done").statusCode()).isEqualTo(400);
      }
    }
  }

  @Test
  void noLaterRecordOverwritesAnAcceptedReceiptAndAConflictingReuseIsDeadLettered(
      TestEnvironment environment) throws Exception {
    try (PipelineHarness harness = new PipelineHarness(environment, Map.of())) {
      harness.publishModel();
      try (ServiceShell<StreamsService> shell = StreamsService.shell(harness.settings)) {
        shell.start();
        PipelineHarness.awaitRunning(shell);
        String base = "http://127.0.0.1:" + shell.port();
        DeletionRequest accepted = request("keep-1", List.of(3L, 4L));
        harness.sendRaw(MODEL, harness.bytes(accepted));
        harness.flush();
        assertThat(awaitReceipt(base + "/requests/keep-1").path("status").asText())
            .isEqualTo("ACCEPTED");

        harness.sendRaw(MODEL, harness.bytes(accepted)); // a resend: a duplicate, dropped
        harness.sendRaw( // invalid under the same id: must not turn the receipt into REJECTED
            MODEL,
            harness.bytes(DeletionRequest.newBuilder(accepted).setExampleIds(List.of()).build()));
        harness.sendRaw( // other examples under the same id: a conflicting reuse
            MODEL,
            harness.bytes(DeletionRequest.newBuilder(accepted).setExampleIds(List.of(5L)).build()));
        harness.flush();

        List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(2);
        assertThat(dead)
            .hasSize(2)
            .allSatisfy(
                record -> {
                  assertThat(header(record, "rumstream.dlq.rule")).isEqualTo("request-id-conflict");
                  assertThat(header(record, "__streams.errors.message"))
                      .contains("request id 'keep-1' was accepted on")
                      .contains("its receipt stands");
                });
        assertThat(harness.receipts(2))
            .as("one receipt, the first")
            .singleElement()
            .satisfies(r -> assertThat(r.getStatus().name()).isEqualTo("ACCEPTED"));
        JsonNode receipt = awaitReceipt(base + "/requests/keep-1");
        assertThat(receipt.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.path("exampleCount").asInt()).isEqualTo(2);
      }
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private JsonNode awaitPending(String base, int count) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode answer = new ObjectMapper().createObjectNode();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(base + "/requests?status=pending");
      if (response.statusCode() == 200) {
        answer = new ObjectMapper().readTree(response.body());
        if (answer.path("pending").size() >= count) {
          return answer;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not " + count + " pending requests in 30 s: " + answer);
  }

  private JsonNode awaitReceipt(String url) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    HttpResponse<String> response = get(url);
    while (response.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      response = get(url);
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
