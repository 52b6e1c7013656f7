package dev.rumstream.cli;

import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.model.Architecture;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.TrainingRecipe;
import dev.rumstream.worker.Bootstrap;
import dev.rumstream.worker.WorkerConfig;
import dev.rumstream.worker.WorkerService;
import dev.rumstream.worker.store.ModelStore;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Bootstrap: trains a model's version 0 (unless stored) and publishes its memorization scores and
 * the version.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the original model (version 0) with its memorization proxies, stores it, and publishes "
          + "its scores to memorization-scores and the version to model-versions: the bootstrap step of "
          + "every stack. Idempotent: a stored model is not trained again, and a model already "
          + "published (or serving a later version) is left alone.",
      "Reads the worker's configuration (--config FILE and RUMSTREAM_* / KAFKA_* / SCHEMA_REGISTRY_URL)."
    })
final class Train implements Callable<Integer> {
  @Option(
      names = "--model-id",
      required = true,
      description = "The model's id (the key of its deletion requests).")
  String modelId;

  @Mixin WorkerOptions workerOptions;

  @Option(
      names = "--architecture",
      defaultValue = "SMALL_CNN",
      description = "SMALL_CNN or RESNET18 (default: ${DEFAULT-VALUE}).")
  Architecture architecture;

  @Option(
      names = "--width",
      defaultValue = "16",
      description = "Base width of RESNET18 (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--epochs",
      defaultValue = "3",
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--no-publish", description = "Only train and store; publish nothing.")
  boolean noPublish;

  @Override
  public Integer call() {
    WorkerConfig workerConfig = workerOptions.load();
    UnlearningEngine engine =
        new UnlearningEngine(workerConfig.engine(), WorkerService.dataset(workerConfig));
    Bootstrap bootstrap =
        new Bootstrap(
            workerConfig, engine, new ModelStore(workerConfig.modelStore()), Clock.systemUTC());
    ModelSpec spec = ModelSpec.of(architecture, engine.data().train(), width);
    TrainingRecipe recipe = TrainingRecipe.paper(epochs, workerConfig.engine().seed());
    if (noPublish) {
      bootstrap.trainIfAbsent(modelId, spec, recipe);
    } else {
      bootstrap.ensure(modelId, spec, recipe);
    }
    return 0;
  }
}
