package dev.rumstream.streams.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.JobOutcome;
import dev.rumstream.service.ServiceHttp;
import dev.rumstream.streams.StreamsService;
import java.io.IOException;

/**
 * The streams app's {@code GET /requests/{id}}: a request's latest receipt, answered from the
 * receipts store by interactive query; a request owned by another instance gets a 307 to that
 * instance.
 */
public final class RequestEndpoint implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StreamsService service;

  public RequestEndpoint(StreamsService service) {
    this.service = service;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String id = ServiceHttp.getPath(exchange, "/requests/");
    if (id == null) {
      return;
    }
    if (id.isBlank() || id.contains("/")) {
      ServiceHttp.json(exchange, 400, ServiceHttp.error("expected /requests/{requestId}"));
      return;
    }
    StreamsService.ReceiptLookup lookup = service.receipt(id);
    if (lookup instanceof StreamsService.ReceiptLookup.Local local) {
      if (local.receipt().isPresent()) {
        ServiceHttp.json(exchange, 200, receiptJson(local.receipt().get()));
      } else {
        ServiceHttp.json(
            exchange,
            404,
            ServiceHttp.error("no receipt for request '" + id + "': unknown, or not read yet"));
      }
    } else if (lookup instanceof StreamsService.ReceiptLookup.Elsewhere elsewhere) {
      String location =
          "http://"
              + elsewhere.owner().host()
              + ":"
              + elsewhere.owner().port()
              + exchange.getRequestURI().getRawPath();
      exchange.getResponseHeaders().add("Location", location);
      ServiceHttp.json(
          exchange,
          307,
          JSON.createObjectNode()
              .put("requestId", id)
              .put("owner", location)
              .put("message", "this request's receipt is kept by another instance"));
    } else {
      ServiceHttp.json(
          exchange,
          503,
          ServiceHttp.error(((StreamsService.ReceiptLookup.Unavailable) lookup).why()));
    }
  }

  /**
   * A receipt as JSON for people and scripts (the Avro record is the contract; this is a view of
   * it).
   */
  private static ObjectNode receiptJson(DeletionReceipt receipt) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("requestId", receipt.getRequestId())
            .put("status", receipt.getStatus().name())
            .put("modelId", receipt.getModelId())
            .put("subjectHash", receipt.getSubjectHash())
            .put("reason", receipt.getReason() == null ? null : receipt.getReason().name())
            .put("exampleCount", receipt.getExampleCount())
            .put("foldedDuplicateIds", receipt.getFoldedDuplicateIds())
            .put("rejection", receipt.getRejection())
            .put("forgetSetId", receipt.getForgetSetId())
            .put("modelVersion", receipt.getModelVersion())
            .put(
                "receivedAt",
                receipt.getReceivedAt() == null ? null : receipt.getReceivedAt().toString())
            .put(
                "deadline", receipt.getDeadline() == null ? null : receipt.getDeadline().toString())
            .put("issuedAt", receipt.getIssuedAt().toString())
            .put("escalated", receipt.getEscalated())
            .put(
                "olderVersionsPurgedAt",
                receipt.getOlderVersionsPurgedAt() == null
                    ? null
                    : receipt.getOlderVersionsPurgedAt().toString());
    if (receipt.getGate() != null) {
      ObjectNode gate = node.putObject("gate").put("passed", receipt.getGate().getPassed());
      gate.put("baselineVersion", receipt.getGate().getBaselineVersion());
      ArrayNode checks = gate.putArray("checks");
      receipt
          .getGate()
          .getChecks()
          .forEach(
              check ->
                  checks
                      .addObject()
                      .put("name", check.getName())
                      .put("value", check.getValue())
                      .put("limit", check.getLimit())
                      .put("passed", check.getPassed()));
    }
    ArrayNode outcomes = node.putArray("outcomes");
    for (JobOutcome outcome : receipt.getOutcomes()) {
      outcomes
          .addObject()
          .put("jobId", outcome.getJobId())
          .put("level", outcome.getLevel().name())
          .put("algorithm", outcome.getAlgorithm().name())
          .put("exampleCount", outcome.getExampleCount())
          .put("modelVersion", outcome.getModelVersion())
          .put("forgetAccuracy", outcome.getForgetAccuracy())
          .put("mia", outcome.getMia());
    }
    return node;
  }
}
