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
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared skeleton: retain set, timing and logging around an algorithm's own loop. */
abstract class IterativeUnlearner implements Unlearner {

  private static final Logger LOG = LoggerFactory.getLogger(IterativeUnlearner.class);

  protected final EngineConfig config;
  protected final CommonParams common;

  IterativeUnlearner(EngineConfig config, CommonParams common) {
    this.config = config;
    this.common = common;
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
        algorithm(),
        forgetRows.length,
        retainRows.length,
        millis,
        hyperParameters());
    return new UnlearningOutcome(
        algorithm(), hyperParameters(), forgetRows.length, retainRows.length, millis);
  }

  abstract void run(
      Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows);

  /** The epoch's minibatches of {@code rows}, reshuffled each epoch reproducibly. */
  List<int[]> epochBatches(int[] rows, int epoch, long salt) {
    Random random = new Random(common.seed() * 1_000_003L + epoch * 7919L + salt);
    return Batches.of(Batches.shuffled(rows, random), common.batchSize());
  }

  /**
   * One epoch of SGD steps over {@code rows} in reshuffled minibatches, each minimizing {@code
   * batchLoss} of its rows: the loop Fine-tune, NegGrad and L1-sparse share.
   */
  void descendEpoch(Sgd sgd, int[] rows, int epoch, long salt, Function<int[], NDArray> batchLoss) {
    List<int[]> batches = epochBatches(rows, epoch, salt);
    try (EpochProgress progress = progress(epoch, batches.size())) {
      for (int[] batch : batches) {
        progress.step(Steps.descend(sgd, () -> batchLoss.apply(batch)));
      }
    }
  }

  /** Mean cross-entropy of the model on a training batch, in train mode. */
  static NDArray crossEntropy(Classifier model, UnlearningRequest request, int[] batch) {
    return Losses.crossEntropy(
        model.logits(request.train().images(model.manager(), batch), true),
        model.manager().create(request.train().labels(batch)));
  }

  EpochProgress progress(int epoch, int steps) {
    return EpochProgress.open(
        config.progressBars(), algorithm() + " " + (epoch + 1) + "/" + common.epochs(), steps);
  }
}
