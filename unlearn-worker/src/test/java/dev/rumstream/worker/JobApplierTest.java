package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.EvaluationPredictions;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.engine.train.TrainingRecipe;
import dev.rumstream.worker.lifecycle.FallbackPolicy;
import dev.rumstream.worker.lifecycle.GateResult;
import dev.rumstream.worker.lifecycle.GateSettings;
import dev.rumstream.worker.lifecycle.PromotionGate;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NONE job measures from the serving model's predictions what a worker that starts would. */
class JobApplierTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final int RETAIN_SAMPLE = 200;

  @TempDir Path reusingRoot;
  @TempDir Path measuringRoot;

  private final UnlearningEngine engine =
      new UnlearningEngine(
          EngineConfig.defaults().withMiaShadowSize(100),
          new DatasetSplits(
              banded("train", 300, 0, 1), banded("test", 200, 1_000, 2), Optional.empty()));

  @Test
  void aNoneJobReusesThePredictionsAndAttackOfItsParametersAndMeasuresAsAfterARestart() {
    ModelStore reusingStore = new ModelStore(reusingRoot);
    ModelStore measuringStore = new ModelStore(measuringRoot);
    storeOriginal(reusingStore, measuringStore);
    try (ModelCache<Classifier, EvaluationPredictions> cache =
        new ModelCache<>(Classifier::copy, Classifier::close)) {
      JobApplier reusing = applier(reusingStore, cache);
      JobApplier measuring =
          applier(measuringStore, new ModelCache<>(Classifier::copy, Classifier::close));
      UnlearnJob first = noneJob("fs-1", LongStream.range(0, 20).toArray());
      // Every seventh example: some are in the evaluation sample and among the attack's shadow
      // members, its first retain rows.
      UnlearnJob second = noneJob("fs-2", LongStream.range(3, 43).map(i -> 7 * i).toArray());

      VersionManifest v1 = reusing.apply(first).version();
      measuring.apply(first);
      measuring.invalidateCache();
      assertThat(cache.predictions(v1)).as("kept with the promoted model").isPresent();

      VersionManifest reused = reusing.apply(second).version();
      VersionManifest measured = measuring.apply(second).version();

      assertThat(reused.algorithm()).isEqualTo(UnlearningAlgorithm.NONE.name());
      assertThat(reused.evidence()).isEqualTo(measured.evidence());
      assertThat(reused.evidence().mia()).isNotNull();
      assertThat(reused.evidence().heldOutMia()).isNotNull();
      assertThat(reused.evidence().retainEvaluated()).isLessThan(v1.evidence().retainEvaluated());
      // Versions 0, 1 and 2 share their parameters, so they are asked by one attack: the one of the
      // rows version 0 was measured on, nothing deleted yet.
      assertThat(reused.evidence().heldOutMia()).isEqualTo(v1.evidence().heldOutMia());
      assertThat(cache.predictions(reused))
          .hasValueSatisfying(p -> assertThat(p.retainRows()).hasSize(RETAIN_SAMPLE));
    }
  }

  @Test
  void aNoneJobAfterAChangedVersionIsAskedByThatVersionsAttackWithOrWithoutARestart()
      throws IOException {
    ModelStore reusingStore = new ModelStore(reusingRoot);
    storeOriginal(reusingStore);
    try (ModelCache<Classifier, EvaluationPredictions> cache =
            new ModelCache<>(Classifier::copy, Classifier::close);
        ModelCache<Classifier, EvaluationPredictions> restarted =
            new ModelCache<>(Classifier::copy, Classifier::close)) {
      UnlearnJob changing = fineTune("fs-1", LongStream.range(0, 20).toArray());
      // Ids among the attack's shadow members, the first rows of the sample left after fs-1.
      UnlearnJob unchanging = noneJob("fs-2", LongStream.range(20, 60).toArray());

      VersionManifest v1 = applier(reusingStore, cache).apply(changing).version();
      // The same store, read by a worker that starts with nothing in memory.
      copy(reusingRoot, measuringRoot);
      ModelStore measuringStore = new ModelStore(measuringRoot);
      VersionManifest reused = applier(reusingStore, cache).apply(unchanging).version();
      VersionManifest measured = applier(measuringStore, restarted).apply(unchanging).version();

      assertThat(v1.algorithm()).isEqualTo(UnlearningAlgorithm.FINE_TUNE.name());
      assertThat(reused.evidence().retainEvaluated()).isLessThan(v1.evidence().retainEvaluated());
      assertThat(reused.evidence()).isEqualTo(measured.evidence());
      assertThat(reused.evidence().heldOutMia()).isEqualTo(v1.evidence().heldOutMia());
      // Both workers keep the predictions of the rows version 1 was measured on, fs-2's included.
      assertThat(cache.predictions(reused))
          .hasValueSatisfying(
              p -> assertThat(p.retainRows()).hasSize(v1.evidence().retainEvaluated()));
      assertThat(restarted.predictions(measured))
          .hasValueSatisfying(
              p -> assertThat(p.retainRows()).hasSize(v1.evidence().retainEvaluated()));
    }
  }

  @Test
  void theGateComparesTheFirstJobWithVersionZeroMeasuredOnTheSameSamples() {
    ModelStore store = new ModelStore(reusingRoot);
    storeOriginal(store);
    GateSettings.Thresholds unchanged = new GateSettings.Thresholds(0, 0, 1, Set.of(), 1, Set.of());
    try (ModelCache<Classifier, EvaluationPredictions> cache =
        new ModelCache<>(Classifier::copy, Classifier::close)) {
      JobApplier strict = applier(store, cache, unchanged, 100);

      VersionManifest v1 =
          strict.apply(noneJob("fs-1", LongStream.range(0, 20).toArray())).version();

      // Version 0's stored evidence (0.9 / 0.9) is not what it scores on the samples; a NONE job
      // changes no parameter, so measured like with like it drops by exactly nothing.
      assertThat(v1.attempt()).isEqualTo(1);
      assertThat(v1.gate().checks())
          .filteredOn(check -> check.name().endsWith("accuracy-drop"))
          .hasSize(2)
          .allSatisfy(check -> assertThat(check.value()).isEqualTo(0.0))
          .allSatisfy(check -> assertThat(check.margin()).isEqualTo(0.0));
      assertThat(v1.evidence().testEvaluated()).isEqualTo(100);
    }
  }

  @Test
  void aChangedModelsUtilityDropsCarryTheMarginOfTheirPairedDifference() {
    ModelStore store = new ModelStore(reusingRoot);
    storeOriginal(store);
    try (ModelCache<Classifier, EvaluationPredictions> cache =
        new ModelCache<>(Classifier::copy, Classifier::close)) {
      JobApplier applier =
          applier(store, cache, new GateSettings.Thresholds(1, 1, 1, Set.of(), 1, Set.of()), 100);
      VersionManifest v1 =
          applier.apply(fineTune("fs-1", LongStream.range(0, 20).toArray())).version();

      // A learning rate this large moves many predictions: each drop has a positive margin.
      assertThat(v1.algorithm()).isEqualTo(UnlearningAlgorithm.FINE_TUNE.name());
      assertThat(v1.gate().checks())
          .filteredOn(check -> check.name().endsWith("accuracy-drop"))
          .hasSize(2)
          .allSatisfy(check -> assertThat(check.margin()).isPositive());
      // Both test accuracies come from the same 100 examples, so at least |drop| of them changed
      // correctness: the margin from the paired predictions is at least what that many give.
      GateResult.Check test =
          v1.gate().checks().stream()
              .filter(check -> check.name().equals(PromotionGate.TEST_ACCURACY_DROP))
              .findFirst()
              .orElseThrow();
      double drop = Math.abs(test.value());
      assertThat(test.margin())
          .isGreaterThanOrEqualTo(1.96 * Math.sqrt((drop - drop * drop) / 99) - 1e-12);
    }
  }

  @Test
  void afterARestartTheGateStillComparesExampleByExample() {
    ModelStore store = new ModelStore(reusingRoot);
    storeOriginal(store);
    try (ModelCache<Classifier, EvaluationPredictions> before =
            new ModelCache<>(Classifier::copy, Classifier::close);
        ModelCache<Classifier, EvaluationPredictions> restarted =
            new ModelCache<>(Classifier::copy, Classifier::close)) {
      applier(store, before, new GateSettings.Thresholds(1, 1, 1, Set.of(), 1, Set.of()), 100)
          .apply(fineTune("fs-1", LongStream.range(0, 20).toArray()));

      // A new worker: the promoted version 1 is neither loaded nor predicted yet.
      VersionManifest v2 =
          applier(
                  store,
                  restarted,
                  new GateSettings.Thresholds(1, 1, 1, Set.of(), 1, Set.of()),
                  100)
              .apply(fineTune("fs-2", LongStream.range(20, 40).toArray()))
              .version();

      assertThat(v2.gate().baselineVersion()).isEqualTo(1L);
      assertThat(v2.gate().checks())
          .filteredOn(check -> check.name().endsWith("accuracy-drop"))
          .hasSize(2)
          .allSatisfy(check -> assertThat(check.margin()).isNotNull());
    }
  }

  @Test
  void aFallbackThatIsTheRejectedPlanIsNotRunAgainTheJobRetrains() {
    ModelStore store = new ModelStore(reusingRoot);
    storeOriginal(store);
    GateSettings.Thresholds rejectAll =
        new GateSettings.Thresholds(-1, -1, 1, Set.of(), 1, Set.of());
    try (ModelCache<Classifier, EvaluationPredictions> cache =
        new ModelCache<>(Classifier::copy, Classifier::close)) {
      // Every fallback is NONE, the job's own plan.
      JobApplier applier = applier(store, cache, rejectAll, 100);

      VersionManifest promoted =
          applier.apply(noneJob("fs-1", LongStream.range(0, 20).toArray())).version();

      assertThat(promoted.attempt()).isEqualTo(JobApplier.RETRAIN_ATTEMPT);
      assertThat(store.attempts("m", "fs-1-0"))
          .extracting(VersionManifest::attempt)
          .containsExactlyInAnyOrder(1, JobApplier.RETRAIN_ATTEMPT);
    }
  }

  @Test
  void aJobRedeliveredAfterACrashInsideItsPromotionSupersedesTheVersionBefore() throws IOException {
    ModelStore store = new ModelStore(reusingRoot);
    storeOriginal(store);
    UnlearnJob job = noneJob("fs-1", LongStream.range(0, 20).toArray());
    try (ModelCache<Classifier, EvaluationPredictions> cache =
        new ModelCache<>(Classifier::copy, Classifier::close)) {
      applier(store, cache).apply(job);
    }
    // As if the worker died after promoting version 1 and before superseding version 0.
    Path manifest = reusingRoot.resolve("m").resolve("v000000").resolve(ModelStore.MANIFEST);
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace("\"status\" : \"SUPERSEDED\"", "\"status\" : \"PROMOTED\"")
            .replaceAll("\"supersededAt\" : \"[^\"]+\"", "\"supersededAt\" : null"));
    ModelStore restarted = new ModelStore(reusingRoot);
    assertThat(restarted.unpurged("m")).as("the state the crash left").isEmpty();

    try (ModelCache<Classifier, EvaluationPredictions> cache =
        new ModelCache<>(Classifier::copy, Classifier::close)) {
      JobApplier.Applied again = applier(restarted, cache).apply(job);

      assertThat(again.alreadyStored()).isTrue();
      assertThat(again.version().version()).isEqualTo(1L);
    }
    assertThat(restarted.unpurged("m"))
        .as("version 0 learned the job's examples: its purge grace starts")
        .extracting(VersionManifest::version)
        .containsExactly(0L);
    assertThat(restarted.promoted("m")).map(VersionManifest::version).contains(1L);
  }

  /** Version 0, the same trained parameters in each store. */
  private void storeOriginal(ModelStore... stores) {
    ImageDataset train = engine.data().train();
    ModelSpec spec = ModelSpec.smallCnn(train);
    TrainingRecipe recipe = TrainingRecipe.paper(1, 5);
    try (Classifier model = engine.newModel(spec)) {
      engine.train(model, train.allRows(), recipe);
      VersionManifest original =
          VersionManifest.original(
              "m",
              Bootstrap.record(recipe),
              train.name(),
              train.size(),
              spec.architecture().name(),
              T0,
              "cpu",
              new VersionManifest.Evidence(null, 0.9, 0.9, null, null, 0, train.size(), 0));
      for (ModelStore store : stores) {
        store.write(original, dir -> ModelFiles.save(model, dir.resolve(ModelStore.PARAMS)));
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  /** An applier whose gate passes every candidate. */
  private JobApplier applier(
      ModelStore store, ModelCache<Classifier, EvaluationPredictions> cache) {
    return applier(store, cache, new GateSettings.Thresholds(1, 1, 1, Set.of(), 1, Set.of()), 0);
  }

  /** An applier with these gate limits, NONE as every fallback and this test sample. */
  private JobApplier applier(
      ModelStore store,
      ModelCache<Classifier, EvaluationPredictions> cache,
      GateSettings.Thresholds limits,
      int testSample) {
    Map<MemorizationLevel, FallbackPolicy.Fallback> fallbacks =
        new EnumMap<>(MemorizationLevel.class);
    for (MemorizationLevel level : MemorizationLevel.values()) {
      fallbacks.put(level, new FallbackPolicy.Fallback(UnlearningAlgorithm.NONE, Map.of()));
    }
    return new JobApplier(
        engine,
        store,
        Map.of(),
        RETAIN_SAMPLE,
        testSample,
        new PromotionGate(new GateSettings(limits, Map.of())),
        new FallbackPolicy(fallbacks),
        Clock.fixed(T0, ZoneOffset.UTC),
        cache);
  }

  /** A Fine-tune job whose learning rate is large enough to move many predictions. */
  private static UnlearnJob fineTune(String forgetSetId, long[] exampleIds) {
    return UnlearnJob.newBuilder(noneJob(forgetSetId, exampleIds))
        .setAlgorithm(dev.rumstream.avro.UnlearningAlgorithm.FINE_TUNE)
        .setHyperParameters(Map.of("lr", "1.0", "epochs", "2"))
        .build();
  }

  private static UnlearnJob noneJob(String forgetSetId, long[] exampleIds) {
    return UnlearnJob.newBuilder()
        .setJobId(forgetSetId + "-0")
        .setForgetSetId(forgetSetId)
        .setModelId("m")
        .setIndex(0)
        .setJobCount(1)
        .setLevel(dev.rumstream.avro.MemorizationLevel.LOW)
        .setAlgorithm(dev.rumstream.avro.UnlearningAlgorithm.NONE)
        .setHyperParameters(Map.of())
        .setExampleIds(Arrays.stream(exampleIds).boxed().toList())
        .setRequestIds(List.of("r-" + forgetSetId))
        .setCreatedAt(T0)
        .setDeadline(null)
        .build();
  }

  /**
   * 12×12 images: class c has a bright c-th horizontal band, plus noise; a third of the labels are
   * drawn at random, so the model gets some examples wrong and is unsure of others.
   */
  private static ImageDataset banded(String name, int n, long firstId, long seed) {
    int side = 12;
    int classes = 4;
    Random random = new Random(seed);
    float[] pixels = new float[n * side * side];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int drawn = random.nextInt(classes);
      labels[i] = random.nextInt(3) == 0 ? random.nextInt(classes) : drawn;
      for (int p = 0; p < side * side; p++) {
        int band = (p / side) * classes / side;
        pixels[i * side * side + p] =
            (band == drawn ? 0.8f : 0.1f) + 0.1f * (float) random.nextGaussian();
      }
    }
    return new ImageDataset(
        name,
        1,
        side,
        side,
        IntStream.range(0, classes).mapToObj(c -> "c" + c).toList(),
        LongStream.range(firstId, firstId + n).toArray(),
        labels,
        pixels);
  }
}
