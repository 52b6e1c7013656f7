package dev.rumstream.cli;

import dev.rumstream.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The Kafka and schema-registry client settings of a command, read as the services read them: a
 * properties file ({@code --config}, a service's own file works: its {@code rumstream.*} keys are
 * not client settings and are skipped), then every {@code KAFKA_*} and {@code SCHEMA_REGISTRY_*}
 * variable of the environment, then these options. So SASL/SCRAM over TLS and registry credentials
 * work the same as for the services.
 */
final class ClientOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Kafka and registry client properties (bootstrap.servers, security.protocol, sasl.*, ssl.*, "
              + "schema.registry.url, basic.auth.user.info, ...), as in the services' files; "
              + "KAFKA_* / SCHEMA_REGISTRY_* variables override them.")
  Path config;

  @Option(
      names = "--bootstrap-servers",
      description = "Kafka (default: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092).")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      description = "Schema registry (default: $SCHEMA_REGISTRY_URL or http://localhost:8081).")
  String schemaRegistryUrl;

  Map<String, Object> clients() {
    return clients(System.getenv());
  }

  Map<String, Object> clients(Map<String, String> environment) {
    Map<String, Object> settings = new HashMap<>();
    if (config != null) {
      Properties file = new Properties();
      try (Reader reader = Files.newBufferedReader(config)) {
        file.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the client properties " + config, e);
      }
      file.stringPropertyNames().stream()
          .filter(key -> !key.startsWith(Settings.PREFIX))
          .forEach(key -> settings.put(key, file.getProperty(key).trim()));
    }
    environment.forEach(
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
