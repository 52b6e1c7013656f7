package dev.rumstream.bench.rum;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.rumstream.engine.algorithms.RetainSet;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.Unlearners;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.algorithms.UnlearningRequest;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RumTest {

  private static final ImageDataset TRAIN = TestData.synthetic("synthetic", 60, 3, 1_000, 1);

  /** Records what each step was asked to do, and the retain set it would have trained on. */
  private static final class Recorder implements Unlearner {
    final String name;
    final List<String> calls;
    final List<Set<Long>> retainIds = new ArrayList<>();
    final List<UnlearningRequest> requests = new ArrayList<>();

    Recorder(String name, List<String> calls) {
      this.name = name;
      this.calls = calls;
    }

    @Override
    public UnlearningAlgorithm algorithm() {
      return UnlearningAlgorithm.FINE_TUNE;
    }

    @Override
    public Map<String, String> hyperParameters() {
      return Map.of("name", name);
    }

    @Override
    public UnlearningOutcome unlearn(Classifier model, UnlearningRequest request) {
      calls.add(name);
      requests.add(request);
      int[] rows = RetainSet.rows(request.train(), request.deletedAfter(), 1.0, 0, 0);
      retainIds.add(Arrays.stream(request.train().ids(rows)).boxed().collect(Collectors.toSet()));
      return new UnlearningOutcome(
          algorithm(), hyperParameters(), request.forgetIds().length, rows.length, 0);
    }
  }

  private static RefinedForgetSet forgetSet() {
    return new RefinedForgetSet(
        Map.of(
            MemorizationLevel.HIGH, new long[] {1_050, 1_051},
            MemorizationLevel.LOW, new long[] {1_010, 1_011, 1_012},
            MemorizationLevel.MEDIUM, new long[] {1_030}));
  }

  @Test
  void stepsRunLowThenMediumThenHighAndEachRetainSetExcludesEverythingProcessedSoFar() {
    List<String> calls = new ArrayList<>();
    Unlearner low = Unlearners.create(UnlearningAlgorithm.NONE, Map.of(), TestData.CONFIG);
    Recorder medium = new Recorder("medium", calls);
    Recorder high = new Recorder("high", calls);
    List<RumStep> plan =
        RumPlans.refined(
            forgetSet(),
            Map.of(
                MemorizationLevel.LOW,
                low,
                MemorizationLevel.MEDIUM,
                medium,
                MemorizationLevel.HIGH,
                high));
    assertThat(plan).extracting(RumStep::label).containsExactly("LOW", "MEDIUM", "HIGH");

    DeletionLedger earlier = DeletionLedger.of(1_000);
    try (Classifier model = Classifier.create(ModelSpec.smallCnn(TRAIN), Device.cpu(), 1)) {
      List<RumStepResult> results = new Rum(TRAIN).run(model, Optional.empty(), plan, earlier);

      assertThat(calls).containsExactly("medium", "high");
      // Step MEDIUM: the skipped LOW sub-batch and the earlier deletion are gone, HIGH (later) is
      // still there.
      Set<Long> mediumRetain = medium.retainIds.get(0);
      assertThat(mediumRetain)
          .doesNotContain(1_000L, 1_010L, 1_011L, 1_012L, 1_030L)
          .contains(1_050L, 1_051L);
      assertThat(mediumRetain).hasSize(60 - 1 - 3 - 1);
      // Step HIGH: everything processed so far is gone.
      Set<Long> highRetain = high.retainIds.get(0);
      assertThat(highRetain).doesNotContain(1_000L, 1_010L, 1_011L, 1_012L, 1_030L, 1_050L, 1_051L);
      assertThat(highRetain).hasSize(60 - 7);
      assertThat(high.requests.get(0).deletedBefore().toArray())
          .containsExactly(1_000, 1_010, 1_011, 1_012, 1_030);

      assertThat(results).hasSize(3);
      assertThat(results.get(0).outcome().algorithm()).isEqualTo(UnlearningAlgorithm.NONE);
      assertThat(results.get(0).deletedAfter().toArray())
          .containsExactly(1_000, 1_010, 1_011, 1_012);
      assertThat(results.get(2).deletedAfter().toArray())
          .containsExactly(1_000, 1_010, 1_011, 1_012, 1_030, 1_050, 1_051);
      assertThat(earlier.toArray())
          .as("the caller's ledger is never changed")
          .containsExactly(1_000);
    }
  }

  @Test
  void emptyLevelsEmitNoStep() {
    RefinedForgetSet onlyHigh =
        new RefinedForgetSet(Map.of(MemorizationLevel.HIGH, new long[] {1_001}));
    Unlearner none = Unlearners.create(UnlearningAlgorithm.NONE, Map.of(), TestData.CONFIG);
    assertThat(RumPlans.refined(onlyHigh, Map.of(MemorizationLevel.HIGH, none)))
        .extracting(RumStep::label)
        .containsExactly("HIGH");
  }

  @Test
  void vanillaIsOneStepOverTheWholeForgetSet() {
    List<String> calls = new ArrayList<>();
    Recorder recorder = new Recorder("vanilla", calls);
    try (Classifier model = Classifier.create(ModelSpec.smallCnn(TRAIN), Device.cpu(), 1)) {
      new Rum(TRAIN)
          .run(
              model,
              Optional.empty(),
              RumPlans.vanilla(forgetSet().all(), recorder),
              DeletionLedger.empty());
    }
    assertThat(calls).containsExactly("vanilla");
    assertThat(recorder.requests.get(0).forgetIds()).containsExactly(forgetSet().all());
    assertThat(recorder.retainIds.get(0)).hasSize(60 - 6);
  }

  @Test
  void shuffleKeepsTheGroupSizesAndThePoolButNotTheLevels() {
    RefinedForgetSet refined =
        new RefinedForgetSet(
            Map.of(
                MemorizationLevel.LOW, LongStream.range(1_000, 1_010).toArray(),
                MemorizationLevel.MEDIUM, LongStream.range(1_010, 1_020).toArray(),
                MemorizationLevel.HIGH, LongStream.range(1_020, 1_030).toArray()));
    Unlearner none = Unlearners.create(UnlearningAlgorithm.NONE, Map.of(), TestData.CONFIG);
    List<RumStep> plan = RumPlans.shuffled(refined, none, 42);
    assertThat(plan).hasSize(3).allSatisfy(step -> assertThat(step.forgetIds()).hasSize(10));
    Set<Long> pooled = new HashSet<>();
    plan.forEach(step -> Arrays.stream(step.forgetIds()).forEach(pooled::add));
    assertThat(pooled)
        .containsExactlyInAnyOrderElementsOf(LongStream.range(1_000, 1_030).boxed().toList());
    assertThat(plan.get(0).forgetIds()).isNotEqualTo(refined.level(MemorizationLevel.LOW));
    assertThat(RumPlans.shuffled(refined, none, 42).get(1).forgetIds())
        .as("the partition is fixed by the seed")
        .containsExactly(plan.get(1).forgetIds());
  }
}
