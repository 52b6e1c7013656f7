package dev.rumstream.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the schema-registry client and the Avro serde, read from the same keys Confluent's
 * serde uses, so a configuration written for one works for the other. The retry and timeout keys
 * are rumstream's own.
 */
public record RegistryConfig(
    List<URI> urls,
    boolean autoRegisterSchemas,
    boolean useLatestVersion,
    String basicAuthUserInfo,
    int maxRetries,
    Duration retryBackoff,
    Duration requestTimeout,
    boolean specificAvroReader) {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String MAX_RETRIES = "schema.registry.max.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

  public RegistryConfig {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new ConfigException(
          SCHEMA_REGISTRY_URL, "", "at least one schema registry URL is required");
    }
    if (maxRetries < 0) {
      throw new ConfigException(MAX_RETRIES, maxRetries, "must not be negative");
    }
  }

  /** A configuration for one registry URL with Confluent's defaults. */
  public static RegistryConfig forUrl(String url) {
    return from(Map.of(SCHEMA_REGISTRY_URL, url));
  }

  /** Reads the settings from a Kafka-style configuration map; unknown keys are ignored. */
  public static RegistryConfig from(Map<String, ?> configs) {
    Object rawUrls = configs.get(SCHEMA_REGISTRY_URL);
    if (rawUrls == null || rawUrls.toString().isBlank()) {
      throw new ConfigException(
          SCHEMA_REGISTRY_URL, rawUrls, "missing: the serde needs the schema registry's URL");
    }
    List<URI> urls =
        Arrays.stream(rawUrls.toString().split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(RegistryConfig::parseUrl)
            .toList();
    String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
    if (!source.equals("USER_INFO")) {
      throw new ConfigException(
          BASIC_AUTH_CREDENTIALS_SOURCE, source, "only USER_INFO is supported");
    }
    return new RegistryConfig(
        urls,
        bool(configs, AUTO_REGISTER_SCHEMAS, true),
        bool(configs, USE_LATEST_VERSION, false),
        string(configs, BASIC_AUTH_USER_INFO, null),
        (int) number(configs, MAX_RETRIES, 3),
        Duration.ofMillis(number(configs, RETRY_BACKOFF_MS, 200)),
        Duration.ofMillis(number(configs, REQUEST_TIMEOUT_MS, 10_000)),
        bool(configs, SPECIFIC_AVRO_READER, false));
  }

  private static URI parseUrl(String url) {
    URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ConfigException(SCHEMA_REGISTRY_URL, url, "must be an http or https URL");
    }
    return uri;
  }

  private static String string(Map<String, ?> configs, String key, String fallback) {
    Object value = configs.get(key);
    return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
    String value = string(configs, key, null);
    if (value == null) {
      return fallback;
    }
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new ConfigException(key, value, "must be true or false");
    }
    return Boolean.parseBoolean(value);
  }

  private static long number(Map<String, ?> configs, String key, long fallback) {
    String value = string(configs, key, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
  }
}
