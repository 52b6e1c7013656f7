package dev.rumstream.engine.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperParametersAndRetainSetTest {

  private static Map<String, String> hyperParameters(
      UnlearningAlgorithm algorithm, Map<String, String> overrides) {
    return Unlearners.create(algorithm, overrides, Fixtures.CONFIG).hyperParameters();
  }

  @Test
  void defaultsAreThePaperCodesAndTheFullMapIsReported() {
    assertThat(hyperParameters(UnlearningAlgorithm.FINE_TUNE, Map.of()))
        .containsEntry("lr", "0.01")
        .containsEntry("epochs", "10")
        .containsEntry("batch_size", "256")
        .containsEntry("momentum", "0.9")
        .containsEntry("weight_decay", "5.0E-4")
        .containsEntry("retain_fraction", "1.0")
        .containsEntry("retain_count", "0");
    assertThat(hyperParameters(UnlearningAlgorithm.NEG_GRAD, Map.of()))
        .containsEntry("lr", "1.0E-4")
        .containsEntry("epochs", "5");
    assertThat(hyperParameters(UnlearningAlgorithm.SCRUB, Map.of()))
        .containsEntry("lr", "0.005")
        .containsEntry("msteps", "4")
        .containsEntry("kd_t", "4.0");
    assertThat(hyperParameters(UnlearningAlgorithm.SALUN, Map.of("lr", "0.05")))
        .containsEntry("lr", "0.05")
        .containsEntry("epochs", "10")
        .containsEntry("mask_fraction", "0.5")
        .containsEntry("mask_direction", "largest")
        .containsEntry("mask_source", "original")
        .containsEntry("mask_trajectory", "ga_steps");
    assertThat(hyperParameters(UnlearningAlgorithm.RETRAIN, Map.of()))
        .containsEntry("lr", "0.1")
        .containsEntry("epochs", "30")
        .containsEntry("schedule", "cosine");
  }

  @Test
  void everyAlgorithmParsesItsOwnMapBackToTheSameMap() {
    for (UnlearningAlgorithm algorithm : UnlearningAlgorithm.values()) {
      Map<String, String> used = hyperParameters(algorithm, Map.of());
      assertThat(hyperParameters(algorithm, used)).as(algorithm.name()).isEqualTo(used);
    }
  }

  @Test
  void unknownOrMalformedHyperParametersAreRejected() {
    assertThatThrownBy(
            () ->
                Unlearners.create(
                    UnlearningAlgorithm.FINE_TUNE, Map.of("learning_rate", "0.1"), Fixtures.CONFIG))
        .hasMessageContaining("learning_rate");
    assertThatThrownBy(
            () ->
                Unlearners.create(
                    UnlearningAlgorithm.NEG_GRAD_PLUS, Map.of("alpha", "lots"), Fixtures.CONFIG))
        .hasMessageContaining("alpha");
    assertThatThrownBy(
            () ->
                Unlearners.create(
                    UnlearningAlgorithm.SALUN,
                    Map.of("mask_direction", "sideways"),
                    Fixtures.CONFIG))
        .hasMessageContaining("largest");
    assertThatThrownBy(
            () -> Unlearners.create(UnlearningAlgorithm.NONE, Map.of("lr", "0.1"), Fixtures.CONFIG))
        .hasMessageContaining("lr");
  }

  @Test
  void theRetainSetExcludesEveryDeletedIdAndSubsamplesReproducibly() {
    ImageDataset train = Fixtures.synthetic("synthetic", 100, 2, 0, 1);
    DeletionLedger deleted = DeletionLedger.of(3, 5, 7).plus(50, 51);
    int[] all = RetainSet.rows(train, deleted, 1.0, 0, 1);
    assertThat(all).hasSize(95);
    assertThat(Arrays.stream(train.ids(all)).boxed().toList()).doesNotContain(3L, 5L, 7L, 50L, 51L);

    int[] half = RetainSet.rows(train, deleted, 0.5, 0, 1);
    assertThat(half).hasSize(48).isSorted();
    assertThat(Arrays.stream(train.ids(half)).boxed().toList())
        .doesNotContain(3L, 5L, 7L, 50L, 51L);
    assertThat(RetainSet.rows(train, deleted, 0.5, 0, 1)).containsExactly(half);
    assertThat(RetainSet.rows(train, deleted, 0.5, 0, 2)).isNotEqualTo(half);
    assertThat(RetainSet.rows(train, deleted, 0.5, 20, 1)).hasSize(20);
    assertThat(RetainSet.rows(train, deleted, 1.0, 30, 1)).hasSize(30);
  }

  @Test
  void aRequestsRetainSetExcludesItsForgetSetAndEarlierDeletions() {
    ImageDataset train = Fixtures.synthetic("synthetic", 20, 2, 0, 1);
    UnlearningRequest request =
        new UnlearningRequest(
            train, new long[] {4, 2, 4}, DeletionLedger.of(9), java.util.Optional.empty());
    assertThat(request.forgetIds()).containsExactly(2, 4);
    assertThat(request.deletedAfter().toArray()).containsExactly(2, 4, 9);
    assertThatThrownBy(
            () ->
                new UnlearningRequest(
                    train, new long[] {77}, DeletionLedger.empty(), java.util.Optional.empty()))
        .hasMessageContaining("77");
  }

  @Test
  void saliencySelectionTakesExactlyTheFractionFromTheChosenEnd() {
    List<float[]> magnitudes =
        List.of(new float[] {0.5f, 0.1f, 0.9f}, new float[] {0.3f, 0.7f, 0.0f});
    SaliencyMask largest = SaliencyMask.select(magnitudes, 0.5, SaliencyMask.Direction.LARGEST);
    SaliencyMask smallest = SaliencyMask.select(magnitudes, 0.5, SaliencyMask.Direction.SMALLEST);
    assertThat(largest.values().get(0)).containsExactly(1f, 0f, 1f);
    assertThat(largest.values().get(1)).containsExactly(0f, 1f, 0f);
    assertThat(smallest.values().get(0)).containsExactly(0f, 1f, 0f);
    assertThat(smallest.values().get(1)).containsExactly(1f, 0f, 1f);
    assertThat(largest.selected()).isEqualTo(3);
    SaliencyMask tenth = SaliencyMask.select(magnitudes, 1.0 / 6, SaliencyMask.Direction.LARGEST);
    assertThat(tenth.values().get(0)).containsExactly(0f, 0f, 1f);
  }
}
