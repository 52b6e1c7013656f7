package dev.rumstream.engine.algorithms;

import ai.djl.ndarray.NDArray;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.EpochProgress;
import dev.rumstream.engine.train.Losses;
import dev.rumstream.engine.train.Sgd;
import dev.rumstream.engine.train.Steps;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scaffold every iterative algorithm shares: its parameters, the retain set, timing, logging
 * and the outcome around the algorithm's own run, and the SGD epoch loop most runs are made of. A
 * subclass keeps only what makes it itself: what each epoch trains on and the loss of each step.
 */
abstract class IterativeUnlearner implements Unlearner {

  private static final Logger LOG = LoggerFactory.getLogger(IterativeUnlearner.class);

  /** What one epoch trains on: the loss of each of its steps, in order (built lazily, per step). */
  interface Epoch {
    List<Supplier<NDArray>> steps(int epoch);
  }

  protected final EngineConfig config;
  protected final CommonParams common;
  private final UnlearningAlgorithm algorithm;
  private final HyperParameters hyperParameters;

  /**
   * Reads the shared parameters, {@code lr} and {@code epochs} being the algorithm's defaults; the
   * subclass reads its own from {@code hp} after this, and the caller seals {@code hp} once it has
   * (see {@link Unlearners}).
   */
  IterativeUnlearner(
      EngineConfig config,
      UnlearningAlgorithm algorithm,
      HyperParameters hp,
      double lr,
      int epochs) {
    this.common = CommonParams.parse(hp, lr, epochs, config.seed());
    this.config = config;
    this.algorithm = algorithm;
    this.hyperParameters = hp;
  }

  @Override
  public final UnlearningAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public final Map<String, String> hyperParameters() {
    return hyperParameters.used();
  }

  @Override
  public final UnlearningOutcome unlearn(Classifier model, UnlearningRequest request) {
    long t0 = System.nanoTime();
    int[] retainRows =
        RetainSet.rows(
            request.train(),
            request.deletedAfter(),
            common.retainFraction(),
            common.retainCount(),
            common.seed());
    int[] forgetRows = request.forgetRows();
    run(model, request, forgetRows, retainRows);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    LOG.info(
        "{}: forgot {} examples with {} retain examples in {} ms {}",
        algorithm,
        forgetRows.length,
        retainRows.length,
        millis,
        hyperParameters());
    return new UnlearningOutcome(
        algorithm, hyperParameters(), forgetRows.length, retainRows.length, millis);
  }

  abstract void run(
      Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows);

  /**
   * The shared loop: a fresh SGD (the paper code's {@code _iterative_unlearn_impl}), restricted to
   * {@code mask} when given, then every epoch's steps in order. Each step runs in its own scope
   * (Steps.descend) and updates after it; the epoch's progress shows on the console.
   */
  void descend(Classifier model, Optional<List<NDArray>> mask, Epoch epochs) {
    try (Sgd sgd =
        new Sgd(
            model.trainableParameters(),
            common.learningRate(),
            common.momentum(),
            common.weightDecay(),
            mask)) {
      for (int epoch = 0; epoch < common.epochs(); epoch++) {
        List<Supplier<NDArray>> steps = epochs.steps(epoch);
        try (EpochProgress progress =
            EpochProgress.open(
                config.progress(), algorithm.toString(), epoch, common.epochs(), steps.size())) {
          for (Supplier<NDArray> loss : steps) {
            progress.step(Steps.descend(sgd, loss));
          }
        }
      }
    }
  }

  /**
   * Every epoch: one step per reshuffled minibatch of {@code rows}, each minimizing {@code loss}.
   */
  void descendOn(Classifier model, int[] rows, long salt, Function<int[], NDArray> loss) {
    descend(model, Optional.empty(), epoch -> batchSteps(rows, epoch, salt, loss));
  }

  /** The epoch's minibatches of {@code rows}, reshuffled each epoch reproducibly. */
  List<int[]> epochBatches(int[] rows, int epoch, long salt) {
    Random random = new Random(common.seed() * 1_000_003L + epoch * 7919L + salt);
    return Batches.of(Batches.shuffled(rows, random), common.batchSize());
  }

  /** One step per reshuffled minibatch of {@code rows}, each minimizing {@code batchLoss}. */
  List<Supplier<NDArray>> batchSteps(
      int[] rows, int epoch, long salt, Function<int[], NDArray> batchLoss) {
    return epochBatches(rows, epoch, salt).stream()
        .<Supplier<NDArray>>map(batch -> () -> batchLoss.apply(batch))
        .toList();
  }

  /** Mean cross-entropy of the model on a training batch, in train mode. */
  static NDArray crossEntropy(Classifier model, UnlearningRequest request, int[] batch) {
    return Losses.crossEntropy(model, request.train(), batch);
  }
}
