package dev.rumstream.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * The bare register / look-up / by-id behaviour of a registry as a {@link StubRegistry} script, so
 * unit tests can round-trip records; compatibility rules are the real registries' job and are
 * tested against them.
 */
final class MiniRegistry implements Function<StubRegistry.Request, StubRegistry.Answer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int firstId;
  private final List<Schema> schemas = new ArrayList<>();
  private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();

  MiniRegistry(int firstId) {
    this.firstId = firstId;
  }

  @Override
  public synchronized StubRegistry.Answer apply(StubRegistry.Request request) {
    String[] path = request.path().split("/");
    if (request.method().equals("GET") && request.path().startsWith("/schemas/ids/")) {
      int index = Integer.parseInt(path[3]) - firstId;
      return index >= 0 && index < schemas.size()
          ? StubRegistry.Answer.ok(object("schema", schemas.get(index).toString()))
          : new StubRegistry.Answer(
              404, "{\"error_code\":40403,\"message\":\"Schema " + path[3] + " not found\"}");
    }
    if (request.method().equals("POST") && request.path().endsWith("/versions")) {
      Schema schema = schemaOf(request.body());
      int id = idOf(schema);
      List<Integer> versions = subjects.computeIfAbsent(path[2], s -> new ArrayList<>());
      if (!versions.contains(id)) {
        versions.add(id);
      }
      return StubRegistry.Answer.ok("{\"id\":" + id + "}");
    }
    if (request.method().equals("GET") && request.path().endsWith("/versions/latest")) {
      List<Integer> versions = subjects.get(path[2]);
      if (versions == null) {
        return new StubRegistry.Answer(
            404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
      }
      int id = versions.get(versions.size() - 1);
      ObjectNode answer = JSON.createObjectNode();
      answer
          .put("subject", path[2])
          .put("id", id)
          .put("version", versions.size())
          .put("schema", schemas.get(id - firstId).toString());
      return StubRegistry.Answer.ok(answer.toString());
    }
    return new StubRegistry.Answer(404, "{\"error_code\":404,\"message\":\"not scripted\"}");
  }

  private int idOf(Schema schema) {
    int index = schemas.indexOf(schema);
    if (index < 0) {
      schemas.add(schema);
      index = schemas.size() - 1;
    }
    return firstId + index;
  }

  private static Schema schemaOf(String body) {
    try {
      return new Schema.Parser().parse(JSON.readTree(body).path("schema").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String object(String key, String value) {
    return JSON.createObjectNode().put(key, value).toString();
  }
}
