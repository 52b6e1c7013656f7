package dev.rumstream.cli;

import dev.rumstream.config.Settings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Kafka and schema-registry client settings of a command, read as the services read them: every
 * {@code KAFKA_*} and {@code SCHEMA_REGISTRY_*} variable of the environment (so SASL, TLS and
 * registry credentials work the same), then these options.
 */
final class ClientOptions {
  @Option(
      names = "--bootstrap-servers",
      description = "Kafka (default: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092).")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      description = "Schema registry (default: $SCHEMA_REGISTRY_URL or http://localhost:8081).")
  String schemaRegistryUrl;

  Map<String, Object> clients() {
    Map<String, Object> settings = new HashMap<>();
    System.getenv()
        .forEach(
            (variable, value) -> {
              String key = Settings.keyOf(variable);
              if (key != null && !key.startsWith(Settings.PREFIX)) {
                settings.put(key, value);
              }
            });
    settings.putIfAbsent("bootstrap.servers", "localhost:9092");
    settings.putIfAbsent("schema.registry.url", "http://localhost:8081");
    if (bootstrapServers != null) {
      settings.put("bootstrap.servers", bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      settings.put("schema.registry.url", schemaRegistryUrl);
    }
    return settings;
  }
}
