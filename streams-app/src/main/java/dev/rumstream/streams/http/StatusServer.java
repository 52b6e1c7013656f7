package dev.rumstream.streams.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.JobOutcome;
import dev.rumstream.streams.DeletionService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The streams app's HTTP face: {@code /health/live}, {@code /health/ready} (Kafka Streams RUNNING),
 * {@code /metrics} (Prometheus) and {@code GET /requests/{id}} (a request's latest receipt,
 * answered from the receipts store by interactive query; a request owned by another instance gets a
 * 307 to that instance).
 */
public final class StatusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final DeletionService service;
  private final PrometheusMeterRegistry metrics;

  public StatusServer(int port, DeletionService service, PrometheusMeterRegistry metrics)
      throws IOException {
    this.service = service;
    this.metrics = metrics;
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "status-http");
              thread.setDaemon(true);
              return thread;
            }));
    server.createContext("/health/live", exchange -> live(exchange));
    server.createContext("/health/ready", exchange -> ready(exchange));
    server.createContext(
        "/metrics",
        exchange ->
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.createContext("/requests/", this::request);
    server.createContext(
        "/",
        exchange -> json(exchange, 404, error("no such endpoint: " + exchange.getRequestURI())));
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void live(HttpExchange exchange) throws IOException {
    KafkaStreams.State state = service.state();
    boolean alive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    json(
        exchange,
        alive ? 200 : 503,
        JSON.createObjectNode().put("status", alive ? "UP" : "DOWN").put("state", state.name()));
  }

  private void ready(HttpExchange exchange) throws IOException {
    KafkaStreams.State state = service.state();
    boolean ready = state == KafkaStreams.State.RUNNING;
    json(
        exchange,
        ready ? 200 : 503,
        JSON.createObjectNode().put("status", ready ? "UP" : "DOWN").put("state", state.name()));
  }

  private void request(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      json(exchange, 405, error("only GET is supported"));
      return;
    }
    String id =
        URLDecoder.decode(
            exchange.getRequestURI().getRawPath().substring("/requests/".length()),
            StandardCharsets.UTF_8);
    if (id.isBlank() || id.contains("/")) {
      json(exchange, 400, error("expected /requests/{requestId}"));
      return;
    }
    DeletionService.ReceiptLookup lookup = service.receipt(id);
    if (lookup instanceof DeletionService.ReceiptLookup.Local local) {
      if (local.receipt().isPresent()) {
        json(exchange, 200, receiptJson(local.receipt().get()));
      } else {
        json(exchange, 404, error("no receipt for request '" + id + "': unknown, or not read yet"));
      }
    } else if (lookup instanceof DeletionService.ReceiptLookup.Elsewhere elsewhere) {
      String location =
          "http://"
              + elsewhere.owner().host()
              + ":"
              + elsewhere.owner().port()
              + exchange.getRequestURI().getRawPath();
      exchange.getResponseHeaders().add("Location", location);
      json(
          exchange,
          307,
          JSON.createObjectNode()
              .put("requestId", id)
              .put("owner", location)
              .put("message", "this request's receipt is kept by another instance"));
    } else {
      json(exchange, 503, error(((DeletionService.ReceiptLookup.Unavailable) lookup).why()));
    }
  }

  /**
   * A receipt as JSON for people and scripts (the Avro record is the contract; this is a view of
   * it).
   */
  public static ObjectNode receiptJson(DeletionReceipt receipt) {
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
            .put("issuedAt", receipt.getIssuedAt().toString());
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

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    send(exchange, status, "application/json", body.toString());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(1);
  }
}
