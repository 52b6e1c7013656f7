package dev.rumstream.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A service's answer to a health check: up or down, and what it says about itself. */
public record Health(boolean up, Map<String, String> details) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Health {
    details = new LinkedHashMap<>(details);
  }

  public static Health of(boolean up) {
    return new Health(up, Map.of());
  }

  /** Up or down with one detail, e.g. {@code state: RUNNING}. */
  public static Health of(boolean up, String detail, String value) {
    return new Health(up, Map.of(detail, value));
  }

  @Override
  public Map<String, String> details() {
    return Map.copyOf(details);
  }

  /** {@code {"status":"UP"|"DOWN", ...details}}. */
  ObjectNode json() {
    ObjectNode node = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
    details.forEach(node::put);
    return node;
  }
}
