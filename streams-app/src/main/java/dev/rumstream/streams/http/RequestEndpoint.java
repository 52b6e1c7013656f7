package dev.rumstream.streams.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.rumstream.audit.AuditChain;
import dev.rumstream.audit.AuditVerification;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.JobOutcome;
import dev.rumstream.avro.state.RequestHistory;
import dev.rumstream.service.ServiceHttp;
import dev.rumstream.streams.StreamsService;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The streams app's {@code GET /requests/{id}}, a request's latest receipt, and {@code GET
 * /requests/{id}/history}, its audit trail with whether its chain verifies: answered from the
 * receipts and history stores by interactive query; a request owned by another instance gets a 307
 * to that instance.
 */
public final class RequestEndpoint implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HISTORY = "/history";
  private static final HttpClient PEERS =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final StreamsService service;
  private final Deserializer<AuditRecord> audit;
  private final AuditVerification verification;

  /**
   * @param audit reads the audit records the history store keeps as the topic holds them
   * @param chain checks them, under the audit key
   */
  public RequestEndpoint(
      StreamsService service, Deserializer<AuditRecord> audit, AuditChain chain) {
    this.service = service;
    this.audit = audit;
    this.verification = new AuditVerification(chain);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawPath();
    if (raw.equals("/requests") || raw.equals("/requests/")) {
      pending(exchange);
      return;
    }
    if (!raw.startsWith("/requests/")) {
      ServiceHttp.json(exchange, 404, ServiceHttp.error("no such endpoint: " + raw));
      return;
    }
    String path = ServiceHttp.getPath(exchange, "/requests/");
    if (path == null) {
      return;
    }
    boolean history = path.endsWith(HISTORY);
    String id = history ? path.substring(0, path.length() - HISTORY.length()) : path;
    if (id.isBlank() || id.contains("/")) {
      ServiceHttp.json(
          exchange,
          400,
          ServiceHttp.error("expected /requests/{requestId} or /requests/{requestId}/history"));
      return;
    }
    if (history) {
      answer(exchange, id, service.history(id), this::historyJson, "no audit trail");
    } else {
      answer(exchange, id, service.receipt(id), RequestEndpoint::receiptJson, "no receipt");
    }
  }

  private <V> void answer(
      HttpExchange exchange,
      String id,
      StreamsService.Lookup<V> lookup,
      Function<V, JsonNode> json,
      String none)
      throws IOException {
    if (lookup instanceof StreamsService.Lookup.Local<V> local) {
      if (local.value().isPresent()) {
        ServiceHttp.json(exchange, 200, json.apply(local.value().get()));
      } else {
        ServiceHttp.json(
            exchange,
            404,
            ServiceHttp.error(none + " for request '" + id + "': unknown, or not read yet"));
      }
    } else if (lookup instanceof StreamsService.Lookup.Elsewhere<V> elsewhere) {
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
              .put("message", "this request is kept by another instance"));
    } else {
      ServiceHttp.json(
          exchange, 503, ServiceHttp.error(((StreamsService.Lookup.Unavailable<V>) lookup).why()));
    }
  }

  /**
   * {@code GET /requests?status=pending}: every accepted request not yet COMPLETED, with what is
   * left of its deadline, soonest first, over all instances (each asked with {@code scope=local});
   * an instance that does not answer is named, and the list says it is incomplete.
   */
  private void pending(HttpExchange exchange) throws IOException {
    if (ServiceHttp.getPath(exchange, "/requests") == null) {
      return;
    }
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (!"pending".equals(query.get("status"))) {
      ServiceHttp.json(
          exchange, 400, ServiceHttp.error("list requests with /requests?status=pending"));
      return;
    }
    List<ObjectNode> pending = new ArrayList<>();
    List<StreamsService.Pending> local;
    try {
      local = service.outstanding();
    } catch (RuntimeException e) {
      ServiceHttp.json(
          exchange, 503, ServiceHttp.error("the pending requests cannot be read now: " + e));
      return;
    }
    local.forEach(p -> pending.add(pendingJson(p)));
    ArrayNode unreachable = JSON.createArrayNode();
    if (!"local".equals(query.get("scope"))) {
      for (HostInfo peer : service.peers()) {
        try {
          JSON.readTree(askPeer(peer)).path("pending").forEach(p -> pending.add((ObjectNode) p));
        } catch (IOException | RuntimeException e) {
          unreachable.add(peer.host() + ":" + peer.port());
        }
      }
    }
    pending.sort(
        Comparator.comparing(
                (ObjectNode p) ->
                    p.path("slackSeconds").isNumber() ? p.path("slackSeconds").asDouble() : null,
                Comparator.nullsLast(Comparator.<Double>naturalOrder()))
            .thenComparing(p -> p.path("acceptedAt").asText()));
    ObjectNode body = JSON.createObjectNode();
    body.put("complete", unreachable.isEmpty());
    body.set("unreachable", unreachable);
    body.putArray("pending").addAll(pending);
    ServiceHttp.json(exchange, 200, body);
  }

  private String askPeer(HostInfo peer) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://"
                        + peer.host()
                        + ":"
                        + peer.port()
                        + "/requests?status=pending&scope=local"))
            .timeout(Duration.ofSeconds(5));
    if (!service.peerToken().isEmpty()) {
      request.header("Authorization", "Bearer " + service.peerToken());
    }
    try {
      HttpResponse<String> response =
          PEERS.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static ObjectNode pendingJson(StreamsService.Pending pending) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("requestId", pending.requestId())
            .put("modelId", pending.modelId())
            .put("stage", pending.stage())
            .put("acceptedAt", pending.acceptedAt().toString())
            .put("deadline", pending.deadline() == null ? null : pending.deadline().toString());
    if (pending.slackSeconds() != null) {
      node.put("slackSeconds", Math.round(pending.slackSeconds()));
    } else {
      node.putNull("slackSeconds");
    }
    return node;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        values.put(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return values;
  }

  /** The trail in order, each record as the topic holds it, and whether the chain verifies. */
  private JsonNode historyJson(RequestHistory history) {
    ObjectNode node = JSON.createObjectNode();
    ArrayNode records = node.putArray("records");
    List<AuditVerification.Entry> entries = new ArrayList<>();
    for (ByteBuffer raw : history.getRecords()) {
      byte[] bytes = new byte[raw.remaining()];
      raw.duplicate().get(bytes);
      AuditRecord record = audit.deserialize(null, bytes);
      entries.add(
          new AuditVerification.Entry(0, entries.size(), record.getRequestId(), record, null));
      ObjectNode json =
          records
              .addObject()
              .put("sequence", record.getSequence())
              .put("transition", record.getTransition().name())
              .put("at", record.getAt().toString())
              .put("modelId", record.getModelId())
              .put("actor", record.getActor());
      ObjectNode details = json.putObject("details");
      new TreeMap<>(record.getDetails()).forEach(details::put);
      json.put("previousMac", record.getPreviousMac()).put("mac", record.getMac());
    }
    AuditVerification.Report report = verification.verify(entries, Set.of());
    node.put("verified", report.verified());
    ArrayNode problems = node.putArray("problems");
    report.problems().forEach(p -> problems.add("record " + p.offset() + ": " + p.what()));
    return node;
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
                      .put("margin", check.getMargin())
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
