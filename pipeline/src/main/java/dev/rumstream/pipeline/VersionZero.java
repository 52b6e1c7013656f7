package dev.rumstream.pipeline;

import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.engine.train.TrainingRecipe;
import dev.rumstream.worker.Bootstrap;
import dev.rumstream.worker.WorkerConfig;
import dev.rumstream.worker.WorkerService;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Instant;

/** Version 0 of a model that nobody trained: quick, for tests where quality does not matter. */
final class VersionZero {
  private VersionZero() {}

  /** Stores a freshly initialized small CNN over the worker's dataset as version 0. */
  static VersionManifest untrained(WorkerConfig config, ModelStore store, String modelId) {
    UnlearningEngine engine = new UnlearningEngine(config.engine(), WorkerService.dataset(config));
    try (Classifier model = engine.newModel(ModelSpec.smallCnn(engine.data().train()))) {
      VersionManifest v0 =
          VersionManifest.original(
              modelId,
              // The recipe a retrain from scratch of this model would follow (one epoch).
              Bootstrap.record(TrainingRecipe.paper(1, config.engine().seed())),
              engine.data().train().name(),
              engine.data().train().size(),
              "SMALL_CNN",
              Instant.now(),
              "cpu",
              new VersionManifest.Evidence(null, 0.1, 0.1, null, null, 0, 0, 0));
      return store.write(v0, dir -> ModelFiles.save(model, dir.resolve(ModelStore.PARAMS)));
    }
  }
}
