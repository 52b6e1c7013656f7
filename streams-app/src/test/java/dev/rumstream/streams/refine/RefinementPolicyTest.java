package dev.rumstream.streams.refine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.UnlearningAlgorithm;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefinementPolicyTest {

  @Test
  void thePresetsKeepTheirMeasuredAndReleasedValues() {
    assertThat(plans(RefinementPolicy.Preset.RUM_FINE_TUNE_RANDOM_LABEL))
        .containsExactly(
            Map.entry(MemorizationLevel.LOW, new LevelPlan(UnlearningAlgorithm.NONE, Map.of())),
            Map.entry(
                MemorizationLevel.MEDIUM,
                new LevelPlan(UnlearningAlgorithm.FINE_TUNE, Map.of("lr", "0.1", "epochs", "10"))),
            Map.entry(
                MemorizationLevel.HIGH,
                new LevelPlan(
                    UnlearningAlgorithm.RANDOM_LABEL, Map.of("lr", "0.0359", "epochs", "10"))));
    assertThat(plans(RefinementPolicy.Preset.RUM_RANDOM_LABEL_GRADED).get(MemorizationLevel.MEDIUM))
        .isEqualTo(
            new LevelPlan(
                UnlearningAlgorithm.RANDOM_LABEL, Map.of("lr", "0.0129", "epochs", "10")));
    Map<MemorizationLevel, LevelPlan> randomLabel = plans(RefinementPolicy.Preset.RUM_RANDOM_LABEL);
    assertThat(randomLabel.get(MemorizationLevel.MEDIUM))
        .isEqualTo(randomLabel.get(MemorizationLevel.HIGH))
        .isEqualTo(
            new LevelPlan(
                UnlearningAlgorithm.RANDOM_LABEL, Map.of("lr", "0.0359", "epochs", "10")));
    Map<MemorizationLevel, LevelPlan> rum = plans(RefinementPolicy.Preset.RUM);
    assertThat(rum.get(MemorizationLevel.LOW).algorithm()).isEqualTo(UnlearningAlgorithm.NONE);
    assertThat(rum.get(MemorizationLevel.MEDIUM))
        .isEqualTo(
            new LevelPlan(UnlearningAlgorithm.FINE_TUNE, Map.of("lr", "0.1", "epochs", "10")));
    assertThat(rum.get(MemorizationLevel.HIGH))
        .isEqualTo(
            new LevelPlan(
                UnlearningAlgorithm.SALUN,
                Map.of(
                    "lr",
                    "0.1",
                    "epochs",
                    "5",
                    "mask_fraction",
                    "0.5",
                    "mask_direction",
                    "largest")));
  }

  private static Map<MemorizationLevel, LevelPlan> plans(RefinementPolicy.Preset preset) {
    return new java.util.TreeMap<>(RefinementPolicy.preset(preset).plans());
  }
}
