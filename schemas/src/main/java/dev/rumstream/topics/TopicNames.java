package dev.rumstream.topics;

import java.util.LinkedHashMap;
import java.util.Map;

/** The name of every {@link Topic} under one configuration (renamed, or the default name). */
public record TopicNames(Map<Topic<?, ?>, String> names) {
  public TopicNames {
    names = Map.copyOf(names);
    if (!names.keySet().containsAll(Topic.all())) {
      throw new IllegalArgumentException("every topic needs a name: " + names.keySet());
    }
  }

  /** The names under the given settings (each topic's {@link Topic#nameKey()}, or its default). */
  public static TopicNames of(Map<String, ?> settings) {
    Map<Topic<?, ?>, String> names = new LinkedHashMap<>();
    Topic.all().forEach(topic -> names.put(topic, topic.name(settings)));
    return new TopicNames(names);
  }

  /** The default names of DESIGN.md. */
  public static TopicNames defaults() {
    return of(Map.of());
  }

  /**
   * Settings that give every topic its default name plus a suffix, so that a run (a test, a demo on
   * a shared broker) reads and writes topics of its own.
   */
  public static Map<String, String> suffixedSettings(String suffix) {
    Map<String, String> settings = new LinkedHashMap<>();
    Topic.all().forEach(topic -> settings.put(topic.nameKey(), topic.defaultName() + suffix));
    return settings;
  }

  public String name(Topic<?, ?> topic) {
    return names.get(topic);
  }
}
