package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.config.Settings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A worker never signs the audit trail of a real deployment with the published key. */
class DevelopmentAuditKeyTest {

  @Test
  void theWorkerRefusesTheDevelopmentAuditKeyUnlessDevModeIsOn() {
    assertThatThrownBy(
            () ->
                WorkerService.shell(
                    Settings.of(WorkerConfig.DEFAULTS, Map.of("rumstream.http.port", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.audit.key is the published development key")
        .hasMessageContaining("RUMSTREAM_AUDIT_KEY");
  }
}
