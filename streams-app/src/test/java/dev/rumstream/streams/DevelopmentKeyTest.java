package dev.rumstream.streams;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.config.Settings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The published development keys never hash subject ids or sign the audit trail of a real
 * deployment.
 */
class DevelopmentKeyTest {

  @Test
  void theServiceRefusesTheDevelopmentKeyUnlessDevModeIsOn() {
    assertThatThrownBy(
            () ->
                StreamsService.shell(
                    Settings.of(StreamsApp.DEFAULTS, Map.of("rumstream.http.port", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("published development key")
        .hasMessageContaining("RUMSTREAM_SUBJECT_HASH_KEY");
  }

  @Test
  void theServiceRefusesTheDevelopmentAuditKeyUnlessDevModeIsOn() {
    assertThatThrownBy(
            () ->
                StreamsService.shell(
                    Settings.of(
                        StreamsApp.DEFAULTS,
                        Map.of(
                            "rumstream.http.port", "0",
                            "rumstream.subject.hash.key", "a-secret-of-our-own"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.audit.key is the published development key")
        .hasMessageContaining("RUMSTREAM_AUDIT_KEY");
  }
}
