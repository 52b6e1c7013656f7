package dev.rumstream.localstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory, in-JVM schema registry speaking the part of the Confluent Schema Registry REST API
 * that Confluent wire-format Avro serdes use: register, look up, fetch by id, list subjects and
 * versions, and compatibility configuration. Responses and error codes follow Confluent's; only
 * Avro schemas without references are accepted.
 *
 * <p>For the local loop and tests only: nothing is persisted, and there is no authentication.
 * Client tests can start it with a {@link RegistryTestHook} to see the requests and script
 * failures.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String HOST = "127.0.0.1";
  private static final int HANDLER_THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;
  private final SchemaStore store = new SchemaStore();
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Null unless a test asked for one: production use records nothing. */
  private final RegistryTestHook hook;

  private EmbeddedSchemaRegistry(
      HttpServer server, ExecutorService executor, RegistryTestHook hook) {
    this.server = server;
    this.executor = executor;
    this.hook = hook;
  }

  /**
   * Starts a registry on 127.0.0.1.
   *
   * @param port the port to bind, or 0 for a free ephemeral one
   */
  public static EmbeddedSchemaRegistry start(int port) {
    return bind(port, null);
  }

  /**
   * Starts a registry on 127.0.0.1 that records its requests in {@code hook} and gives the answers
   * scripted there: for client tests only.
   *
   * @param port the port to bind, or 0 for a free ephemeral one
   */
  public static EmbeddedSchemaRegistry start(int port, RegistryTestHook hook) {
    return bind(port, Objects.requireNonNull(hook, "hook"));
  }

  private static EmbeddedSchemaRegistry bind(int port, RegistryTestHook hook) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(HOST), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind schema registry to " + HOST + ":" + port, e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            HANDLER_THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "embedded-schema-registry");
              thread.setDaemon(true);
              return thread;
            });
    EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor, hook);
    server.createContext("/", registry::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("Embedded schema registry listening at {}", registry.url());
    return registry;
  }

  /** The base URL for clients, like {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://" + HOST + ":" + server.getAddress().getPort();
  }

  /** Stops serving and forgets every schema. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdown();
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<RegistryTestHook.Answer> scripted =
          hook == null
              ? Optional.empty()
              : hook.receive(
                  new RegistryTestHook.Request(
                      exchange.getRequestMethod(),
                      exchange.getRequestURI().getRawPath(),
                      exchange.getRequestHeaders().getFirst("Authorization")));
      if (scripted.isPresent()) {
        respond(
            exchange,
            scripted.get().status(),
            scripted.get().body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      int status = 200;
      JsonNode body;
      try {
        body = route(exchange.getRequestMethod(), pathSegments(exchange), exchange);
      } catch (RuntimeException e) {
        RegistryException failure =
            e instanceof RegistryException refused ? refused : unexpected(exchange, e);
        status = failure.status();
        body = error(failure.errorCode(), failure.getMessage());
      }
      respond(exchange, status, json.writeValueAsBytes(body));
    }
  }

  private static RegistryException unexpected(HttpExchange exchange, RuntimeException e) {
    LOG.warn(
        "Schema registry request {} {} failed",
        exchange.getRequestMethod(),
        exchange.getRequestURI(),
        e);
    return RegistryException.internal(String.valueOf(e.getMessage()));
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private JsonNode route(String method, List<String> path, HttpExchange exchange)
      throws IOException {
    int size = path.size();
    String first = size > 0 ? path.get(0) : "";
    if (first.equals("config") && size <= 2) {
      String subject = size == 2 ? path.get(1) : null;
      return switch (method) {
        case "GET" ->
            getConfig(subject, "true".equals(queryParameter(exchange, "defaultToGlobal")));
        case "PUT" -> putConfig(subject, readBody(exchange));
        default -> throw RegistryException.methodNotAllowed();
      };
    }
    if (first.equals("schemas") && size == 3 && path.get(1).equals("ids")) {
      requireMethod(method, "GET");
      return schemaById(path.get(2));
    }
    if (first.equals("subjects")) {
      if (size == 1) {
        requireMethod(method, "GET");
        ArrayNode subjects = json.createArrayNode();
        store.subjects().forEach(subjects::add);
        return subjects;
      }
      String subject = path.get(1);
      if (size == 2) {
        requireMethod(method, "POST");
        return subjectVersion(store.lookup(subject, schemaFrom(readBody(exchange))));
      }
      if (path.get(2).equals("versions")) {
        if (size == 3) {
          return switch (method) {
            case "GET" -> versions(subject);
            case "POST" -> register(subject, readBody(exchange));
            default -> throw RegistryException.methodNotAllowed();
          };
        }
        if (size == 4) {
          requireMethod(method, "GET");
          return subjectVersion(store.version(subject, parseVersion(path.get(3))));
        }
      }
    }
    throw RegistryException.routeNotFound();
  }

  private JsonNode register(String subject, JsonNode request) {
    ObjectNode response = json.createObjectNode();
    response.put("id", store.register(subject, schemaFrom(request)));
    return response;
  }

  private JsonNode versions(String subject) {
    ArrayNode versions = json.createArrayNode();
    store.versions(subject).forEach(versions::add);
    return versions;
  }

  private JsonNode schemaById(String idText) {
    int id;
    try {
      id = Integer.parseInt(idText);
    } catch (NumberFormatException e) {
      throw RegistryException.schemaNotFound(idText);
    }
    String schema =
        store.schemaById(id).orElseThrow(() -> RegistryException.schemaNotFound(idText));
    ObjectNode response = json.createObjectNode();
    response.put("schema", schema);
    return response;
  }

  private JsonNode getConfig(String subject, boolean defaultToGlobal) {
    CompatibilityLevel level;
    if (subject == null) {
      level = store.globalLevel();
    } else if (defaultToGlobal) {
      level = store.subjectLevel(subject).orElseGet(store::globalLevel);
    } else {
      level =
          store
              .subjectLevel(subject)
              .orElseThrow(() -> RegistryException.subjectLevelConfigNotFound(subject));
    }
    ObjectNode response = json.createObjectNode();
    response.put("compatibilityLevel", level.name());
    return response;
  }

  private JsonNode putConfig(String subject, JsonNode request) {
    CompatibilityLevel level =
        CompatibilityLevel.parse(request.path("compatibility").asText(null))
            .orElseThrow(RegistryException::invalidCompatibilityLevel);
    if (subject == null) {
      store.globalLevel(level);
    } else {
      store.subjectLevel(subject, level);
    }
    ObjectNode response = json.createObjectNode();
    response.put("compatibility", level.name());
    return response;
  }

  private JsonNode subjectVersion(SchemaStore.SubjectVersion version) {
    ObjectNode response = json.createObjectNode();
    response.put("subject", version.subject());
    response.put("version", version.version());
    response.put("id", version.id());
    response.put("schema", version.schema());
    return response;
  }

  /**
   * The Avro schema of a register or lookup request; other schema types and references are refused.
   */
  private static Schema schemaFrom(JsonNode request) {
    String type = request.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw RegistryException.invalidSchema("schema type " + type + " is not supported, only AVRO");
    }
    JsonNode references = request.path("references");
    if (references.isArray() && !references.isEmpty()) {
      throw RegistryException.invalidSchema("schema references are not supported");
    }
    JsonNode schema = request.path("schema");
    return SchemaStore.parse(schema.isTextual() ? schema.asText() : null);
  }

  /**
   * Confluent accepts a positive version number, {@code latest} or {@code -1}; -1 stands for latest
   * here.
   */
  private static int parseVersion(String text) {
    if (text.equals("latest")) {
      return -1;
    }
    try {
      int version = Integer.parseInt(text);
      if (version >= 1 || version == -1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // Falls through to Confluent's invalid-version error.
    }
    throw RegistryException.invalidVersion(text);
  }

  private JsonNode readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      JsonNode body = json.readTree(in);
      if (body == null || !body.isObject()) {
        throw RegistryException.badRequest("Request body must be a JSON object");
      }
      return body;
    } catch (JsonProcessingException e) {
      throw RegistryException.badRequest("Malformed JSON: " + e.getOriginalMessage());
    }
  }

  private ObjectNode error(int errorCode, String message) {
    ObjectNode error = json.createObjectNode();
    error.put("error_code", errorCode);
    error.put("message", message);
    return error;
  }

  private static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw RegistryException.methodNotAllowed();
    }
  }

  /** Decoded path segments; subjects may contain any character, percent-encoded. */
  private static List<String> pathSegments(HttpExchange exchange) {
    List<String> segments = new ArrayList<>();
    for (String raw : exchange.getRequestURI().getRawPath().split("/")) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw));
      }
    }
    return segments;
  }

  private static String queryParameter(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  /** Percent-decoding for URI parts: unlike form decoding, '+' stays a plus sign. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw RegistryException.badRequest("Malformed percent-encoding in " + raw);
    }
  }
}
