package dev.rumstream.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;

/**
 * What a serving system needs of the version that serves, as JSON: {@code GET /models/{id}/current}
 * answers it and {@code rumstream model export} writes it beside the parameters.
 */
public final class ModelDescriptor {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private ModelDescriptor() {}

  public static ObjectNode of(VersionManifest version, ModelStore store) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("modelId", version.modelId())
            .put("version", version.version())
            .put("status", version.status().name())
            .put("location", store.parameters(version).toUri().toString())
            .put("checksum", version.checksum())
            .put("sizeBytes", version.sizeBytes())
            .put("architecture", version.architecture())
            .put("datasetId", version.datasetId())
            .put("deletedCount", version.deletedIds().size())
            .put("escalated", version.escalated())
            .put("createdAt", version.createdAt().toString())
            .put(
                "promotedAt",
                version.promotedAt() == null ? null : version.promotedAt().toString());
    node.set("evidence", JSON.valueToTree(version.evidence()));
    node.set("gate", JSON.valueToTree(version.gate()));
    return node;
  }
}
