package dev.rumstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.bench.rum.RefinedForgetSet;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.memorization.ProxyKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The benchmark's product row is what the shipped defaults of both services make of a set. */
class ProductPolicyTest {

  private final ProductPolicy product = ProductPolicy.defaults();

  /** Ids 0..29 with confidence id / 30: tertiles at 29/90 and 58/90 of the training set. */
  private static MemorizationScores confidence() {
    long[] ids = LongStream.range(0, 30).toArray();
    return new MemorizationScores(
        ProxyKind.CONFIDENCE, ids, LongStream.range(0, 30).mapToDouble(i -> i / 30.0).toArray());
  }

  @Test
  void aForgetSetIsCutAtTheTrainingSetsTertilesOfTheConfidenceProxy() {
    RefinedForgetSet refined = product.refine(new long[] {0, 5, 12, 15, 25, 29}, confidence());

    // Low confidence is high memorization.
    assertThat(refined.level(MemorizationLevel.HIGH)).containsExactly(0, 5);
    assertThat(refined.level(MemorizationLevel.MEDIUM)).containsExactly(12, 15);
    assertThat(refined.level(MemorizationLevel.LOW)).containsExactly(25, 29);
  }

  @Test
  void eachLevelRunsTheDefaultPresetWithTheWorkersJobDefaults() {
    UnlearningEngine engine = new UnlearningEngine(EngineConfig.defaults(), tinySplits());

    Map<MemorizationLevel, Unlearner> plan = product.plan(engine, -1);

    assertThat(plan.get(MemorizationLevel.LOW).algorithm()).isEqualTo(UnlearningAlgorithm.NONE);
    Unlearner medium = plan.get(MemorizationLevel.MEDIUM);
    assertThat(medium.algorithm()).isEqualTo(UnlearningAlgorithm.FINE_TUNE);
    assertThat(medium.hyperParameters())
        .containsEntry("lr", "0.1")
        .containsEntry("epochs", "10")
        .containsEntry("retain_count", product.workerDefaults().get("retain_count"));
    Unlearner high = plan.get(MemorizationLevel.HIGH);
    assertThat(high.algorithm()).isEqualTo(UnlearningAlgorithm.RANDOM_LABEL);
    assertThat(high.hyperParameters())
        .containsEntry("lr", "0.0359")
        .containsEntry("epochs", "10")
        .containsEntry("retain_count", product.workerDefaults().get("retain_count"));
  }

  @Test
  void theLadderReplacesOnlyTheRetainSample() {
    UnlearningEngine engine = new UnlearningEngine(EngineConfig.defaults(), tinySplits());

    Unlearner medium = product.plan(engine, 500).get(MemorizationLevel.MEDIUM);

    assertThat(medium.hyperParameters())
        .containsEntry("retain_count", "500")
        .containsEntry("lr", "0.1");
  }

  @Test
  void aCandidateChangesThePolicyWithTheStreamsAppsOwnSettings() {
    UnlearningEngine engine = new UnlearningEngine(EngineConfig.defaults(), tinySplits());

    Map<MemorizationLevel, Unlearner> plan =
        ProductPolicy.withPolicy("medium.algorithm=NONE; high.hp.lr=0.01").plan(engine, -1);

    assertThat(plan.get(MemorizationLevel.MEDIUM).algorithm()).isEqualTo(UnlearningAlgorithm.NONE);
    assertThat(plan.get(MemorizationLevel.HIGH).hyperParameters())
        .containsEntry("lr", "0.01")
        .containsEntry("retain_count", product.workerDefaults().get("retain_count"));
    assertThatThrownBy(() -> ProductPolicy.withPolicy("medium.algorithm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key=value");
  }

  private static DatasetSplits tinySplits() {
    long[] ids = LongStream.range(0, 30).toArray();
    ImageDataset data =
        new ImageDataset("tiny", 1, 2, 2, List.of("a", "b"), ids, new int[30], new float[30 * 4]);
    return new DatasetSplits(data, data, Optional.empty());
  }
}
