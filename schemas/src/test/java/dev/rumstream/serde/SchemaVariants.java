package dev.rumstream.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * Older and newer versions of a record schema, made by editing its JSON, for schema-evolution
 * tests.
 */
final class SchemaVariants {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaVariants() {}

  /** The schema as it was before the field was added. */
  static Schema withoutField(Schema schema, String field) {
    ObjectNode root = tree(schema);
    ArrayNode fields = (ArrayNode) root.get("fields");
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).path("name").asText().equals(field)) {
        fields.remove(i);
        return new Schema.Parser().parse(root.toString());
      }
    }
    throw new IllegalArgumentException(schema.getFullName() + " has no field " + field);
  }

  /**
   * A later version with one more field; {@code defaultJson} null means no default (a breaking
   * change).
   */
  static Schema withExtraField(Schema schema, String field, String typeJson, String defaultJson) {
    ObjectNode root = tree(schema);
    ObjectNode added = ((ArrayNode) root.get("fields")).addObject();
    added.put("name", field);
    added.set("type", parse(typeJson));
    added.put("doc", "Added by a test as a later schema version.");
    if (defaultJson != null) {
      added.set("default", parse(defaultJson));
    }
    return new Schema.Parser().parse(root.toString());
  }

  private static ObjectNode tree(Schema schema) {
    return (ObjectNode) parse(schema.toString());
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
