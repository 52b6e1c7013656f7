package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.config.SettingKeys;
import dev.rumstream.config.Settings;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.worker.WorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings the applications read, to check that every RUMSTREAM_* / KAFKA_* variable a
 * deployment sets names a real key (a typo would be silently ignored at run time).
 */
final class KnownSettings {
  private static final Set<String> KAFKA_KEYS = kafkaKeys();

  private KnownSettings() {}

  static Properties streamsDefaults() {
    return defaults(StreamsApp.DEFAULTS);
  }

  /** The streams app's default rumstream.window.max.wait, which alerts and dashboard draw on. */
  static long streamsMaxWaitSeconds() {
    return Settings.of(StreamsApp.DEFAULTS, Map.of())
        .duration("rumstream.window.max.wait")
        .toSeconds();
  }

  static Properties workerDefaults() {
    return defaults(WorkerConfig.DEFAULTS);
  }

  private static Properties defaults(String resource) {
    Properties properties = new Properties();
    try (InputStream in = KnownSettings.class.getResourceAsStream(resource)) {
      assertThat(in).as("the defaults %s on the classpath", resource).isNotNull();
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  private static Set<String> kafkaKeys() {
    Set<String> keys = new TreeSet<>();
    keys.addAll(StreamsConfig.configDef().names());
    keys.addAll(ConsumerConfig.configNames());
    keys.addAll(ProducerConfig.configNames());
    keys.addAll(AdminClientConfig.configNames());
    keys.add("schema.registry.url");
    return keys;
  }

  /** The variables of {@code environment} the application would misread or ignore, with why. */
  static List<String> unknown(Map<String, String> environment, Properties defaults) {
    SettingKeys keys = SettingKeys.of(defaults.stringPropertyNames());
    List<String> problems = new ArrayList<>();
    environment
        .keySet()
        .forEach(
            variable -> {
              String key = Settings.keyOf(variable);
              if (key == null) {
                return;
              }
              if (key.startsWith(Settings.PREFIX)) {
                keys.problem(key).ifPresent(problem -> problems.add(variable + " -> " + problem));
              } else if (!KAFKA_KEYS.contains(key)) {
                problems.add(
                    variable
                        + " -> "
                        + key
                        + " is not a Kafka Streams, client or registry setting");
              }
            });
    return problems;
  }
}
