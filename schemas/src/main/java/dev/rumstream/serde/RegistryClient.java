package dev.rumstream.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caching client for the three-and-a-bit calls of the Confluent Schema Registry REST API that a
 * Confluent-wire serde needs: register, look up, latest version, and schema by id. Works against
 * Confluent's registry and any server speaking its API (Apicurio's ccompat v7). Thread-safe; share
 * one per application.
 */
public final class RegistryClient {
  private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final RegistryConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  /** The registry's answer for one version of a subject. */
  public record RegisteredSchema(String subject, int id, int version, Schema schema) {}

  private record SubjectSchema(String subject, Schema schema) {}

  public RegistryClient(RegistryConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
  }

  public RegistryConfig config() {
    return config;
  }

  /**
   * Registers the schema under the subject (a no-op for the registry if it is already there) and
   * returns its id.
   */
  public int register(String subject, Schema schema) {
    try {
      return idOf(
          subject,
          schema,
          "/subjects/" + encode(subject) + "/versions",
          "register a schema under subject '" + subject + "'");
    } catch (IncompatibleSchemaException refused) {
      // Two instances registering one schema at once: Apicurio answers the loser 409 ("already
      // exists"), which is no incompatibility if the schema is there now.
      try {
        return lookup(subject, schema);
      } catch (SchemaNotFoundException notThere) {
        throw refused;
      }
    }
  }

  /**
   * The id of a schema already registered under the subject; fails with 40401 / 40403 when it is
   * not.
   */
  public int lookup(String subject, Schema schema) {
    return idOf(
        subject,
        schema,
        "/subjects/" + encode(subject),
        "look up a schema under subject '" + subject + "'");
  }

  /**
   * Sets a subject's compatibility level (BACKWARD, FULL, ...): the registry then refuses a new
   * version that breaks it.
   */
  public void setCompatibility(String subject, String level) {
    ObjectNode body = json.createObjectNode().put("compatibility", level);
    call(
        "PUT",
        "/config/" + encode(subject),
        body.toString(),
        "set the compatibility of subject '" + subject + "' to " + level);
  }

  /** A subject's own compatibility level, or the registry's global one when it has none. */
  public String compatibility(String subject) {
    try {
      return level(
          call(
              "GET",
              "/config/" + encode(subject),
              null,
              "read the compatibility of subject '" + subject + "'"));
    } catch (RegistryException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
      return level(call("GET", "/config", null, "read the global compatibility"));
    }
  }

  /** Confluent answers compatibilityLevel; some compatible servers answer compatibility. */
  private static String level(JsonNode config) {
    return config.has("compatibilityLevel")
        ? config.path("compatibilityLevel").asText()
        : config.path("compatibility").asText();
  }

  /** Register and look-up share one cache: either answer is the schema's id under the subject. */
  private int idOf(String subject, Schema schema, String path, String purpose) {
    return idsBySubjectSchema.computeIfAbsent(
        new SubjectSchema(subject, schema),
        key -> {
          JsonNode answer = call("POST", path, schemaBody(schema), purpose);
          int id = requireId(answer, subject);
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  /**
   * The latest version registered under the subject. Not cached: callers decide how often to ask.
   */
  public RegisteredSchema latest(String subject) {
    JsonNode answer =
        call(
            "GET",
            "/subjects/" + encode(subject) + "/versions/latest",
            null,
            "read the latest version of subject '" + subject + "'");
    Schema schema =
        parse(answer.path("schema").asText(), "latest version of subject '" + subject + "'");
    int id = answer.path("id").asInt(-1);
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(subject, id, answer.path("version").asInt(-1), schema);
  }

  /** The writer schema registered under a global id. */
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        key -> {
          JsonNode answer = call("GET", "/schemas/ids/" + id, null, "read schema id " + id);
          return parse(answer.path("schema").asText(), "schema id " + id);
        });
  }

  private static int requireId(JsonNode answer, String subject) {
    int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new RegistryException(
          "The schema registry answered without a schema id for subject '"
              + subject
              + "': "
              + answer,
          200,
          -1);
    }
    return id;
  }

  private String schemaBody(Schema schema) {
    ObjectNode body = json.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new RegistryException(
          "The registry returned an unparseable Avro schema for " + what + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * One REST call with bounded retries: a connection failure, a timeout or a 5xx moves on to the
   * next configured URL; after every URL failed, the client backs off exponentially and tries
   * again, up to maxRetries more rounds. 4xx answers are final and become typed exceptions.
   */
  private JsonNode call(String method, String path, String body, String purpose) {
    Exception lastFailure = null;
    for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
      if (attempt > 0) {
        pause(config.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 10)));
      }
      for (URI base : config.urls()) {
        URI uri = URI.create(base + path);
        try {
          HttpResponse<String> response =
              http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() >= 500) {
            lastFailure =
                new IOException(
                    "HTTP " + response.statusCode() + " from " + uri + ": " + response.body());
            continue;
          }
          return answer(response, uri, purpose);
        } catch (IOException e) {
          lastFailure = e;
          log.debug("Schema registry call {} {} failed: {}", method, uri, e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryException("Interrupted while trying to " + purpose + " at " + uri, e);
        }
      }
      log.warn(
          "Schema registry unreachable at {} (attempt {} of {}): {}",
          config.urls(),
          attempt + 1,
          config.maxRetries() + 1,
          lastFailure);
    }
    throw new RegistryUnavailableException(
        "Schema registry unreachable at "
            + config.urls()
            + ": could not "
            + purpose
            + " after "
            + (config.maxRetries() + 1)
            + " attempts; last error: "
            + lastFailure,
        lastFailure);
  }

  private HttpRequest request(String method, URI uri, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    if (config.basicAuthUserInfo() != null) {
      String token =
          Base64.getEncoder()
              .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
      builder.header("Authorization", "Basic " + token);
    }
    return builder.build();
  }

  private JsonNode answer(HttpResponse<String> response, URI uri, String purpose) {
    JsonNode tree = readTree(response.body());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return tree;
    }
    int errorCode = tree.path("error_code").asInt(status);
    String message = tree.path("message").asText(response.body());
    String context = "Schema registry at " + uri + " refused to " + purpose;
    if (status == 409) {
      throw new IncompatibleSchemaException(context + ": incompatible schema (409): " + message);
    }
    if (status == 404 && (errorCode == 40401 || errorCode == 40402 || errorCode == 40403)) {
      throw new SchemaNotFoundException(
          context + ": not found (" + errorCode + "): " + message, errorCode);
    }
    throw new RegistryException(
        context + ": HTTP " + status + " (" + errorCode + "): " + message, status, errorCode);
  }

  private JsonNode readTree(String body) {
    try {
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(
          "Interrupted while backing off from an unreachable schema registry", e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
