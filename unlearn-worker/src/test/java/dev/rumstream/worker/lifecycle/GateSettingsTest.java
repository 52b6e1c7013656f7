package dev.rumstream.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.config.Settings;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.worker.WorkerConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class GateSettingsTest {
  private static GateSettings read(Map<String, String> overrides) {
    return GateSettings.from(Settings.of(WorkerConfig.DEFAULTS, overrides));
  }

  @Test
  void theDefaultsFileHoldsTheDerivedThresholds() {
    GateSettings.Thresholds defaults = read(Map.of()).forModel("any");

    // bench/gate-thresholds.py on bench/results/quality-quick.json
    assertThat(defaults.maxRetainDrop()).isEqualTo(0.019);
    assertThat(defaults.maxTestDrop()).isEqualTo(0.013);
    assertThat(defaults.maxUnderForgetting()).isEqualTo(0.099);
    assertThat(defaults.underForgettingLevels()).containsExactly(MemorizationLevel.HIGH);
    assertThat(defaults.maxOverForgetting()).isEqualTo(0.063);
    assertThat(defaults.overForgettingLevels())
        .containsExactlyInAnyOrder(MemorizationLevel.LOW, MemorizationLevel.MEDIUM);
  }

  @Test
  void aModelOverridesOnlyTheKeysItSets() {
    GateSettings settings =
        read(
            Map.of(
                "rumstream.gate.max.retain.drop", "0.05",
                "rumstream.gate.model.fashion-cnn.max.test.drop", "0.02",
                "rumstream.gate.model.fashion-cnn.under.forgetting.levels", "medium, HIGH",
                "rumstream.gate.model.v1.cifar.over.forgetting.levels", ""));

    GateSettings.Thresholds fashion = settings.forModel("fashion-cnn");
    assertThat(fashion.maxTestDrop()).isEqualTo(0.02);
    assertThat(fashion.maxRetainDrop()).isEqualTo(0.05);
    assertThat(fashion.underForgettingLevels())
        .containsExactlyInAnyOrder(MemorizationLevel.MEDIUM, MemorizationLevel.HIGH);
    assertThat(fashion.maxOverForgetting()).isEqualTo(0.063);
    // A model id may contain dots; an empty level list switches the check off for that model.
    assertThat(settings.forModel("v1.cifar").overForgettingLevels()).isEmpty();
    assertThat(settings.forModel("v1.cifar").maxTestDrop()).isEqualTo(0.013);
    assertThat(settings.forModel("other")).isEqualTo(settings.defaults());
    assertThat(settings.defaults().maxRetainDrop()).isEqualTo(0.05);
  }

  @Test
  void anUnknownPerModelKeyIsRefusedByName() {
    assertThatThrownBy(() -> read(Map.of("rumstream.gate.model.m.max.drop", "0.1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.gate.model.m.max.drop");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> read(Map.of("rumstream.gate.max.test.drop", "two percent")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.gate.max.test.drop");
    assertThatThrownBy(() -> read(Map.of("rumstream.gate.model.m.max.test.drop", "NaN")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.gate.model.m.max.test.drop");
    assertThatThrownBy(() -> read(Map.of("rumstream.gate.under.forgetting.levels", "HIGH,EXTREME")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.gate.under.forgetting.levels");
  }
}
