package dev.rumstream.worker;

import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionConflictException;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one unlearning job to the latest version of its model (step 5 of the flow): loads and
 * verifies that version, unlearns the job's examples with every earlier deletion excluded from the
 * retain set, measures the result, and stores it durably as the next version. A job whose version
 * is already stored (a redelivery) is not applied again.
 */
public final class JobApplier {
  private static final Logger log = LoggerFactory.getLogger(JobApplier.class);

  private final UnlearningEngine engine;
  private final ModelStore store;
  private final Map<String, String> defaultHyperParameters;
  private final int retainSample;
  private final Clock clock;

  /**
   * A job's resulting version, and whether this call produced it or found it stored by an earlier
   * attempt.
   */
  public record Applied(VersionManifest version, boolean alreadyStored) {}

  /**
   * @param retainSample how many retain examples the retain accuracy and the attack's shadow
   *     members are measured on (a seeded sample, so every version of a model is measured on the
   *     same examples)
   */
  public JobApplier(
      UnlearningEngine engine,
      ModelStore store,
      Map<String, String> defaultHyperParameters,
      int retainSample,
      Clock clock) {
    this.engine = engine;
    this.store = store;
    this.defaultHyperParameters = Map.copyOf(defaultHyperParameters);
    this.retainSample = retainSample;
    this.clock = clock;
  }

  public Applied apply(UnlearnJob job) {
    Optional<VersionManifest> stored = store.byJob(job.getModelId(), job.getJobId());
    if (stored.isPresent()) {
      log.info(
          "Job {} was already applied as version {} of {}: announcing it again",
          job.getJobId(),
          stored.get().version(),
          job.getModelId());
      return new Applied(stored.get(), true);
    }
    VersionManifest base =
        store
            .latest(job.getModelId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Model "
                            + job.getModelId()
                            + " has no stored version: train it first (version 0)"));
    DeletionLedger deletedBefore =
        DeletionLedger.of(base.deletedIds().stream().mapToLong(Long::longValue).toArray());
    long[] forgetIds =
        job.getExampleIds().stream()
            .mapToLong(Long::longValue)
            .filter(id -> !deletedBefore.contains(id))
            .distinct()
            .sorted()
            .toArray();
    UnlearningAlgorithm algorithm =
        forgetIds.length == 0
            ? UnlearningAlgorithm.NONE
            : ContractEnums.algorithm(job.getAlgorithm());
    Map<String, String> hyperParameters = withDefaults(algorithm, job.getHyperParameters());

    try (Classifier model = load(base);
        Classifier original =
            algorithm == UnlearningAlgorithm.SALUN
                ? load(store.versions(job.getModelId()).get(0))
                : null) {
      log.info(
          "Applying job {} ({} {} on {} examples) to version {} of {}",
          job.getJobId(),
          job.getLevel(),
          algorithm,
          forgetIds.length,
          base.version(),
          job.getModelId());
      UnlearningOutcome outcome =
          engine.unlearn(
              model,
              Optional.ofNullable(original),
              algorithm,
              hyperParameters,
              forgetIds,
              deletedBefore);
      Measurement measured = engine.measure(model, forgetIds, deletedBefore, retainSample);
      VersionManifest next =
          new VersionManifest(
              job.getModelId(),
              base.version() + 1,
              base.version(),
              job.getJobId(),
              job.getForgetSetId(),
              ContractEnums.level(job.getLevel()).name(),
              algorithm.name(),
              outcome.hyperParameters(),
              job.getRequestIds(),
              Arrays.stream(forgetIds).boxed().toList(),
              Arrays.stream(deletedBefore.plus(forgetIds).toArray()).boxed().toList(),
              base.datasetId(),
              base.datasetSize(),
              base.architecture(),
              null,
              0,
              clock.instant(),
              Devices.label(engine.device()),
              new VersionManifest.Evidence(
                  forgetIds.length == 0 ? null : measured.accuracies().forget(),
                  measured.accuracies().retain(),
                  measured.accuracies().test(),
                  forgetIds.length == 0 ? null : measured.mia(),
                  null,
                  outcome.forgetSize(),
                  outcome.retainSize(),
                  outcome.wallTimeMillis()));
      try {
        return new Applied(
            store.write(next, dir -> ModelFiles.save(model, dir.resolve(ModelStore.PARAMS))),
            false);
      } catch (VersionConflictException e) {
        // Another worker stored this version first (a rebalance moved the job while it ran): use
        // what it stored.
        return store
            .byJob(job.getModelId(), job.getJobId())
            .map(v -> new Applied(v, true))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Version "
                            + next.version()
                            + " of "
                            + job.getModelId()
                            + " was written by another job while "
                            + job.getJobId()
                            + " ran",
                        e));
      }
    }
  }

  /**
   * The job's hyper-parameters plus the worker's defaults for those the algorithm has and the job
   * left out.
   */
  private Map<String, String> withDefaults(
      UnlearningAlgorithm algorithm, Map<String, String> fromJob) {
    Map<String, String> known = engine.defaultHyperParameters(algorithm);
    Map<String, String> merged = new HashMap<>(fromJob);
    defaultHyperParameters.forEach(
        (name, value) -> {
          if (known.containsKey(name)) {
            merged.putIfAbsent(name, value);
          }
        });
    return merged;
  }

  private Classifier load(VersionManifest version) {
    return store.load(
        version, file -> ModelFiles.load(file, engine.device()), ModelFiles::checksum);
  }
}
