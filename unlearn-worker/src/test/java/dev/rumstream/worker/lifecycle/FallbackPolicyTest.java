package dev.rumstream.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.config.Settings;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.algorithms.Unlearners;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.worker.WorkerConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {
  private static FallbackPolicy read(Map<String, String> overrides) {
    return FallbackPolicy.from(Settings.of(WorkerConfig.DEFAULTS, overrides));
  }

  @Test
  void theDefaultIsRandomLabelAtTheSearchsNextLowerRateAtEveryLevel() {
    FallbackPolicy policy = read(Map.of());

    for (MemorizationLevel level : MemorizationLevel.values()) {
      assertThat(policy.forLevel(level))
          .isEqualTo(
              new FallbackPolicy.Fallback(
                  UnlearningAlgorithm.RANDOM_LABEL, Map.of("lr", "0.0129", "epochs", "10")));
    }
  }

  @Test
  void theEngineAcceptsTheDefaultHyperParameterNames() {
    // The engine refuses names it does not read, so a misspelt default would throw here.
    for (MemorizationLevel level : MemorizationLevel.values()) {
      FallbackPolicy.Fallback fallback = read(Map.of()).forLevel(level);
      Map<String, String> parsed =
          Unlearners.create(
                  fallback.algorithm(), fallback.hyperParameters(), EngineConfig.defaults())
              .hyperParameters();
      assertThat(Double.parseDouble(parsed.get("lr")))
          .isEqualTo(Double.parseDouble(fallback.hyperParameters().get("lr")));
      assertThat(parsed.get("epochs")).isEqualTo(fallback.hyperParameters().get("epochs"));
    }
  }

  @Test
  void aLevelsAlgorithmAndHyperParametersCanBeOverridden() {
    FallbackPolicy policy =
        read(
            Map.of(
                "rumstream.gate.fallback.high.algorithm", "fine-tune",
                "rumstream.gate.fallback.high.hp.lr", "0.05"));

    assertThat(policy.forLevel(MemorizationLevel.HIGH))
        .isEqualTo(
            new FallbackPolicy.Fallback(
                UnlearningAlgorithm.FINE_TUNE, Map.of("lr", "0.05", "epochs", "10")));
    assertThat(policy.forLevel(MemorizationLevel.LOW).algorithm())
        .isEqualTo(UnlearningAlgorithm.RANDOM_LABEL);
  }

  @Test
  void anUnknownAlgorithmNamesItsKey() {
    assertThatThrownBy(() -> read(Map.of("rumstream.gate.fallback.medium.algorithm", "FORGET_ALL")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rumstream.gate.fallback.medium.algorithm")
        .hasMessageContaining("FORGET_ALL");
  }
}
