package dev.rumstream.bench;

import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.ImageDataset;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every seed of a quality run shares: the data and the profile's sizes after the command
 * line's overrides.
 *
 * @param subsetSeed the training subset's seed, or null when the whole training set is used
 */
record QualitySetup(
    DatasetSplits splits,
    ImageDataset evalTest,
    int epochs,
    int perLevel,
    int retain,
    int cap,
    int shadow,
    int evalRetain,
    Long subsetSeed,
    Levels levels,
    MemorizationEstimate estimate) {

  /** How the forget set's memorization levels are made. */
  enum Levels {
    /** By the stored Feldman estimate: lowest, nearest 0.5, highest (the paper's). */
    MEMORIZATION,
    /** By each seed's θo confidence proxy: lowest, nearest the median, highest. */
    PROXY
  }

  /** θo's and θr's recipe (TrainingRecipe.paper), as the results files name it. */
  static final String RECIPE =
      "SGD lr 0.1 cosine, momentum 0.9, weight decay 5e-4, batch 256, no augmentation";

  /**
   * The data of a run: a fixed random training subset of {@code trainSize} (0 = all) and a fixed
   * random test sample of {@code evalTestSize} (0 = all), seeded by {@code subsetSeed} and the next
   * seed.
   */
  static QualitySetup of(
      DatasetSplits all,
      int trainSize,
      int evalTestSize,
      long subsetSeed,
      int epochs,
      int perLevel,
      int retain,
      int cap,
      int shadow,
      int evalRetain,
      Levels levels,
      Path resultsDir) {
    DatasetSplits splits = all;
    boolean subset = trainSize > 0 && trainSize < all.train().size();
    if (subset) {
      splits =
          new DatasetSplits(
              Subsets.first(all.train(), subsetSeed, trainSize, "fashion-mnist-train"),
              all.test(),
              Optional.empty());
    }
    ImageDataset evalTest = splits.test();
    if (evalTestSize > 0 && evalTestSize < evalTest.size()) {
      evalTest = Subsets.first(evalTest, subsetSeed + 1, evalTestSize, "fashion-mnist-test");
    }
    Long subsetSeedOrNull = subset ? subsetSeed : null;
    return new QualitySetup(
        splits,
        evalTest,
        epochs,
        perLevel,
        retain,
        cap,
        shadow,
        evalRetain,
        subsetSeedOrNull,
        levels,
        levels == Levels.MEMORIZATION
            ? MemorizationEstimate.read(resultsDir, splits.train(), subsetSeedOrNull, epochs)
            : null);
  }

  /** The run's parameters as the results file records them. */
  Map<String, Object> parameters(
      String profile, long testSampleSeed, List<Long> seeds, List<UnlearningAlgorithm> algorithms) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("profile", profile);
    parameters.put("dataset", "Fashion-MNIST");
    parameters.put(
        "model", "small CNN (conv32-BN-ReLU-pool, conv64-BN-ReLU-pool, fc128-BN-ReLU, linear)");
    parameters.put("trainExamples", splits.train().size());
    parameters.put("trainSubsetSeed", subsetSeed);
    parameters.put("testExamples", splits.test().size());
    parameters.put(
        "evalRetainSample",
        evalRetain == 0
            ? "all of D_train \\ S"
            : evalRetain + " random examples of D_train \\ S per seed (same for every method)");
    parameters.put(
        "evalTestSample",
        evalTest.size() == splits.test().size()
            ? "all"
            : evalTest.size()
                + " random test examples (seed "
                + testSampleSeed
                + ", same everywhere)");
    parameters.put("epochsOriginalAndRetrain", epochs);
    parameters.put("trainingRecipe", RECIPE);
    parameters.put(
        "forgetSet",
        levels == Levels.MEMORIZATION
            ? "mix by the stored memorization estimate ("
                + estimate.models()
                + " models): "
                + perLevel
                + " lowest + "
                + perLevel
                + " nearest 0.5 + "
                + perLevel
                + " highest, the same for every seed"
            : "mix by the CONFIDENCE proxy of θo: "
                + perLevel
                + " lowest + "
                + perLevel
                + " nearest median + "
                + perLevel
                + " highest memorization");
    if (estimate != null) {
      parameters.put("memorizationLevels", estimate.report(estimate.mixed(perLevel)));
    }
    parameters.put("forgetSize", 3 * perLevel);
    parameters.put("retainCountPerStep", retain);
    parameters.put("unlearnEpochsCap", cap);
    parameters.put("miaShadowSize", shadow);
    parameters.put("seeds", seeds);
    parameters.put("algorithms", algorithms.stream().map(Enum::name).toList());
    parameters.put("device", "CPU");
    return parameters;
  }
}
