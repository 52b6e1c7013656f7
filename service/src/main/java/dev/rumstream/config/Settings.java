package dev.rumstream.config;

import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one place configuration is read: built-in defaults, then an optional properties file, then
 * environment variables. {@code RUMSTREAM_WINDOW_SIZE} overrides {@code rumstream.window.size},
 * {@code KAFKA_BOOTSTRAP_SERVERS} overrides {@code bootstrap.servers} and {@code
 * SCHEMA_REGISTRY_URL} overrides {@code schema.registry.url} (names are lower-cased, underscores
 * become dots and a double underscore a literal underscore). Keys outside {@code rumstream.*} pass
 * straight through to Kafka Streams, its clients and the serdes; an unknown {@code rumstream.*} key
 * is refused ({@link SettingKeys}), since a misspelt one would otherwise be silently ignored.
 */
public final class Settings {
  public static final String PREFIX = "rumstream.";

  /**
   * Variables of {@code scripts/services.sh}, of the test environment and of {@code rumstream
   * status}, which configure those tools, not a service: an exported one must not stop a service as
   * an unknown setting.
   */
  static final Set<String> TOOL_VARIABLES =
      Set.of(
          "RUMSTREAM_TEST_ENV",
          "RUMSTREAM_KAFKA_PORT",
          "RUMSTREAM_KAFKA_CONTROLLER_PORT",
          "RUMSTREAM_REGISTRY_PORT",
          "RUMSTREAM_KAFKA_READY_TIMEOUT",
          "RUMSTREAM_REGISTRY_READY_TIMEOUT",
          "RUMSTREAM_STOP_TIMEOUT",
          "RUMSTREAM_STREAMS_URL");

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * The defaults of one application (a properties resource on the classpath), overridden by the
   * file (when given), overridden by the environment.
   */
  public static Settings load(String defaultsResource, Path file, Map<String, String> environment) {
    Map<String, String> defaults = defaults(defaultsResource);
    SettingKeys keys = SettingKeys.of(defaults.keySet());
    Map<String, String> merged = new TreeMap<>(defaults);
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
      }
      for (String name : properties.stringPropertyNames()) {
        refuseUnknown(keys, name, "in " + file);
        merged.put(name, properties.getProperty(name).trim());
      }
    }
    environment.forEach(
        (name, value) -> {
          String key = keyOf(name);
          if (key != null) {
            refuseUnknown(keys, key, "from the environment variable " + name);
            merged.put(key, value.trim());
          }
        });
    return new Settings(merged);
  }

  /** Settings from explicit values over an application's defaults, for tests and embedding. */
  public static Settings of(String defaultsResource, Map<String, String> overrides) {
    Map<String, String> defaults = defaults(defaultsResource);
    SettingKeys keys = SettingKeys.of(defaults.keySet());
    overrides.keySet().forEach(key -> refuseUnknown(keys, key, "given"));
    Map<String, String> merged = new TreeMap<>(defaults);
    merged.putAll(overrides);
    return new Settings(merged);
  }

  private static void refuseUnknown(SettingKeys keys, String key, String source) {
    keys.problem(key)
        .ifPresent(
            problem -> {
              throw new ConfigException("Unknown setting " + source + ": " + problem);
            });
  }

  /**
   * The setting an environment variable sets, or null for one that sets none: variables outside the
   * three prefixes, and those of rumstream's own scripts and test environment ({@link
   * #TOOL_VARIABLES}).
   */
  public static String keyOf(String environmentVariable) {
    if (TOOL_VARIABLES.contains(environmentVariable)) {
      return null;
    }
    for (String prefix : new String[] {"RUMSTREAM_", "KAFKA_", "SCHEMA_REGISTRY_"}) {
      if (environmentVariable.startsWith(prefix)
          && environmentVariable.length() > prefix.length()) {
        String rest =
            environmentVariable.startsWith("KAFKA_")
                ? environmentVariable.substring(prefix.length())
                : environmentVariable;
        // A double underscore stands for a literal one (RUMSTREAM_JOB_DEFAULT_HP_RETAIN__COUNT).
        return rest.toLowerCase(Locale.ROOT)
            .replace("__", "\u0000")
            .replace('_', '.')
            .replace('\u0000', '_');
      }
    }
    return null;
  }

  private static Map<String, String> defaults(String resource) {
    Properties properties = new Properties();
    try (InputStream in = Settings.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "The built-in defaults " + resource + " are missing from the classpath");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the built-in defaults " + resource, e);
    }
    Map<String, String> map = new TreeMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> map.put(name, properties.getProperty(name).trim()));
    return map;
  }

  /** Everything outside {@code rumstream.*}: Kafka Streams, client and serde settings. */
  public Map<String, Object> kafka() {
    Map<String, Object> kafka = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          if (!key.startsWith(PREFIX)) {
            kafka.put(key, value);
          }
        });
    return kafka;
  }

  /** The name of every topic: its {@link Topic#nameKey()} setting, or its default name. */
  public TopicNames topics() {
    return TopicNames.of(values);
  }

  /**
   * A topic's value serde configured with the client settings ({@link #kafka()}) and the serde
   * class of {@value Topic#VALUE_SERDE_KEY}, when set.
   */
  public <V> Serde<V> valueSerde(Topic<?, V> topic) {
    Map<String, Object> config = kafka();
    String serdeClass = string(Topic.VALUE_SERDE_KEY, "");
    if (!serdeClass.isEmpty()) {
      config.put(Topic.VALUE_SERDE_KEY, serdeClass);
    }
    return topic.valueSerde(config);
  }

  /**
   * The {@code rumstream.*} keys under a prefix, with the prefix removed (e.g. a level's
   * hyper-parameters).
   */
  public Map<String, String> under(String prefix) {
    Map<String, String> found = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            found.put(key.substring(prefix.length()), value);
          }
        });
    return found;
  }

  public String string(String key) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(key, value, "missing");
    }
    return value;
  }

  public String string(String key, String fallback) {
    String value = values.get(key);
    return value == null || value.isEmpty() ? fallback : value;
  }

  public int integer(String key) {
    try {
      return Integer.parseInt(string(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, values.get(key), "must be a whole number");
    }
  }

  public double decimal(String key) {
    try {
      return Double.parseDouble(string(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, values.get(key), "must be a number");
    }
  }

  /** A duration setting; see {@link #parseDuration}. */
  public Duration duration(String key) {
    try {
      return parseDuration(string(key));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, values.get(key), e.getMessage());
    }
  }

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d} or ISO-8601 ({@code
   * PT5M}).
   */
  public static Duration parseDuration(String text) {
    String value = text.trim();
    Matcher matcher = DURATION.matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration such as 5m, 30s, 500ms or PT5M");
    }
  }

  public <E extends Enum<E>> E choice(String key, Class<E> type) {
    String value = string(key);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          key, value, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  /** The settings with every secret masked (what {@code --print-config} shows). */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>(values);
    shown.replaceAll((key, value) -> isSecret(key) ? "****" : value);
    return shown.toString();
  }

  /**
   * Whether a setting holds a secret: passwords and passphrases, secrets and tokens, JAAS configs,
   * registry user info, PEM private keys ({@code ssl.keystore.key}) and rumstream's own keys.
   */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("passphrase")
        || k.contains("secret")
        || k.contains("token")
        || k.contains("jaas")
        || k.contains("user.info")
        || k.endsWith(".key")
        || k.contains("private.key")
        || k.startsWith(PREFIX) && k.contains("key");
  }
}
