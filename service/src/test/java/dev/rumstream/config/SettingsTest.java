package dev.rumstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
}
