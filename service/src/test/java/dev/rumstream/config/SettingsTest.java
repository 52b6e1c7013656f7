package dev.rumstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  private static final String DEFAULTS = "/settings-test-defaults.properties";

  @Test
  void theFileOverridesTheDefaultsAndTheEnvironmentOverridesBoth(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "rumstream.window.size=7m\nrumstream.http.port=9000\nlinger.ms=5\n");
    Settings settings =
        Settings.load(
            DEFAULTS,
            file,
            Map.of(
                "RUMSTREAM_HTTP_PORT", "9100",
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9093",
                "SCHEMA_REGISTRY_URL", "http://registry:8081",
                "RUMSTREAM_JOB_DEFAULT_HP_RETAIN__COUNT", "2000",
                "PATH", "/usr/bin"));

    assertThat(settings.duration("rumstream.window.size")).isEqualTo(Duration.ofMinutes(7));
    assertThat(settings.integer("rumstream.http.port")).isEqualTo(9100);
    assertThat(settings.under("rumstream.job.default.hp.")).containsEntry("retain_count", "2000");
    assertThat(settings.kafka())
        .containsEntry("bootstrap.servers", "broker:9093")
        .containsEntry("schema.registry.url", "http://registry:8081")
        .containsEntry("linger.ms", "5")
        .containsEntry("application.id", "from-defaults")
        .doesNotContainKey("path")
        .doesNotContainKey("rumstream.http.port");
  }

  @Test
  void durationsTakeUnitsOrIso8601AndBadValuesNameTheirKey() {
    assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Settings.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Settings.parseDuration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    Settings settings = Settings.of(DEFAULTS, Map.of("rumstream.window.size", "soon"));
    assertThatThrownBy(() -> settings.duration("rumstream.window.size"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.window.size")
        .hasMessageContaining("soon");
  }

  @Test
  void secretsAreMaskedWhenPrinted() {
    Settings settings =
        Settings.of(
            DEFAULTS,
            Map.of(
                "sasl.jaas.config",
                "user=\"a\" password=\"hunter2\"",
                "rumstream.subject.hash.key",
                "s3cret"));
    assertThat(settings.toString())
        .doesNotContain("hunter2")
        .doesNotContain("s3cret")
        .contains("****");
  }

  @Test
  void anUnknownKeyIsRefusedWithTheNearestValidOne(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Settings.of(DEFAULTS, Map.of("rumstream.windw.size", "1m")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.windw.size")
        .hasMessageContaining("did you mean rumstream.window.size?");
    assertThatThrownBy(() -> Settings.load(DEFAULTS, null, Map.of("RUMSTREAM_WINDOW_GRAZE", "1s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RUMSTREAM_WINDOW_GRAZE")
        .hasMessageContaining("did you mean rumstream.window.grace?");
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "rumstream.http.prot=9000\n");
    assertThatThrownBy(() -> Settings.load(DEFAULTS, file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("did you mean rumstream.http.port?");
  }

  @Test
  void topicNamesAndOpenFamiliesAreKnownKeys() {
    Settings settings =
        Settings.of(
            DEFAULTS,
            Map.of(
                "rumstream.topic.unlearn.jobs", "jobs-eu",
                "rumstream.policy.high.algorithm", "NEG_GRAD_PLUS",
                "rumstream.policy.medium.hp.epochs", "2",
                "rumstream.job.default.hp.lr", "0.01",
                "linger.ms", "5"));
    assertThat(settings.under("rumstream.policy."))
        .containsEntry("high.algorithm", "NEG_GRAD_PLUS");
    assertThatThrownBy(() -> Settings.of(DEFAULTS, Map.of("rumstream.policy.hihg.hp.epochs", "2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("did you mean rumstream.policy.high.hp.epochs?");
  }

  @Test
  void anOpenFamilyBelongsOnlyToAnApplicationWithKeysUnderItsPrefix() {
    SettingKeys worker = SettingKeys.of(java.util.Set.of("rumstream.job.default.hp.retain_count"));
    assertThat(worker.problem("rumstream.job.default.hp.lr")).isEmpty();
    assertThat(worker.problem("rumstream.policy.high.algorithm")).isPresent();
    assertThat(worker.problem("bootstrap.servers")).isEmpty();
  }

  @Test
  void theScriptsOwnVariablesAreNotSettings() {
    Settings settings =
        Settings.load(
            DEFAULTS,
            null,
            Map.of("RUMSTREAM_TEST_ENV", "external", "RUMSTREAM_KAFKA_PORT", "19092"));
    assertThat(settings.string("rumstream.window.size")).isEqualTo("5m");
    assertThat(Settings.keyOf("RUMSTREAM_TEST_ENV")).isNull();
    assertThat(Settings.keyOf("RUMSTREAM_WINDOW_SIZE")).isEqualTo("rumstream.window.size");
  }

  @Test
  void theGateFamiliesBelongToAnApplicationWithGateSettings() {
    SettingKeys worker =
        SettingKeys.of(
            Set.of("rumstream.gate.max.test.drop", "rumstream.gate.fallback.low.algorithm"));
    assertThat(worker.problem("rumstream.gate.model.fashion.cnn.v2.max.test.drop")).isEmpty();
    assertThat(worker.problem("rumstream.gate.fallback.high.hp.lr")).isEmpty();
    assertThat(worker.problem("rumstream.gate.model.fashion.max.test.dorp"))
        .hasValueSatisfying(problem -> assertThat(problem).contains("did you mean"));
    assertThat(
            SettingKeys.of(Set.of("rumstream.window.size"))
                .problem("rumstream.gate.fallback.high.hp.lr"))
        .isPresent();
  }

  @Test
  void distanceCountsSingleCharacterEdits() {
    assertThat(SettingKeys.distance("window", "window")).isZero();
    assertThat(SettingKeys.distance("windw", "window")).isEqualTo(1);
    assertThat(SettingKeys.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(SettingKeys.distance("", "abc")).isEqualTo(3);
  }

  /**
   * Secret settings of the Kafka clients, Kafka Streams, the schema registry client and rumstream.
   */
  private static final java.util.List<String> SECRETS =
      java.util.List.of(
          "ssl.key.password",
          "ssl.keystore.password",
          "ssl.truststore.password",
          "ssl.keystore.key",
          "sasl.jaas.config",
          "sasl.oauthbearer.client.credentials.client.secret",
          "sasl.oauthbearer.assertion.private.key.passphrase",
          "basic.auth.user.info",
          "bearer.auth.token",
          "schema.registry.basic.auth.user.info",
          "schema.registry.bearer.auth.token",
          "schema.registry.ssl.keystore.password",
          "schema.registry.ssl.key.password",
          "rumstream.subject.hash.key");

  /** Settings an operator needs to see to debug a connection; none of them is a secret. */
  private static final java.util.List<String> SHOWN =
      java.util.List.of(
          "bootstrap.servers",
          "security.protocol",
          "sasl.mechanism",
          "ssl.keystore.location",
          "ssl.truststore.location",
          "ssl.keystore.type",
          "basic.auth.credentials.source",
          "schema.registry.url");

  @Test
  void printingMasksEverySecretOfKafkaTheRegistryAndRumstreamAndShowsTheRest() {
    for (String key : SECRETS) {
      assertThat(Settings.isSecret(key)).as(key).isTrue();
    }
    for (String key : SHOWN) {
      assertThat(Settings.isSecret(key)).as(key).isFalse();
    }
    java.util.Map<String, String> given = new java.util.HashMap<>();
    SECRETS.stream()
        .filter(k -> !k.startsWith("rumstream."))
        .forEach(k -> given.put(k, "s3cr3t-" + k));
    given.put("rumstream.subject.hash.key", "s3cr3t-hash");
    given.put("bootstrap.servers", "broker:9093");
    String printed = Settings.of(DEFAULTS, given).toString();
    assertThat(printed).doesNotContain("s3cr3t").contains("broker:9093");
  }
}
