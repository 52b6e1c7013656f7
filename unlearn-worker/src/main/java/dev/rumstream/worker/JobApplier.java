package dev.rumstream.worker;

import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.AccuracyChange;
import dev.rumstream.engine.eval.EvaluationPredictions;
import dev.rumstream.engine.eval.EvaluationSets;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.worker.lifecycle.FallbackPolicy;
import dev.rumstream.worker.lifecycle.GateResult;
import dev.rumstream.worker.lifecycle.PromotionGate;
import dev.rumstream.worker.store.DeletedIds;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionConflictException;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one unlearning job to the promoted version of its model (steps 5 and 7 of the flow). Each
 * attempt writes a CANDIDATE version, measured, that the promotion gate judges against the promoted
 * version: attempt 1 runs the level's algorithm; if the gate rejects it, attempt 2 runs the level's
 * fallback from the same parent (not when it is the plan just rejected: the same candidate would
 * come out); if that is rejected too, attempt 3 retrains from scratch without every deleted example
 * (the reference the gate stands in for, so it is promoted as it is). Promotion supersedes every
 * older version, which starts their purge grace. Every earlier deletion is excluded from every
 * retain set. A redelivered job finds its promoted version (by job id) and its rejected attempts,
 * and is not applied again.
 */
public final class JobApplier {
  private static final Logger log = LoggerFactory.getLogger(JobApplier.class);
  static final int FALLBACK_ATTEMPT = 2;
  static final int RETRAIN_ATTEMPT = 3;

  private final UnlearningEngine engine;
  private final ModelStore store;
  private final Map<String, String> defaultHyperParameters;
  private final EvaluationSample evaluation;
  private final PromotionGate gate;
  private final FallbackPolicy fallbacks;
  private final Clock clock;
  private final ModelCache<Classifier, EvaluationPredictions> cache;

  /**
   * A job's promoted version and every attempt it took (rejected candidates included), and whether
   * this call produced them or found them stored by an earlier delivery.
   */
  public record Applied(
      VersionManifest version, List<VersionManifest> attempts, boolean alreadyStored) {
    public Applied {
      attempts = List.copyOf(attempts);
    }
  }

  /**
   * @param retainSample how many training examples the retain accuracy and the attack's shadow
   *     members are measured on: one seeded sample, minus the deleted ones, so every version of a
   *     model is measured on the same examples (0: all)
   * @param testSample how many test examples the test accuracy, the attack's shadow non-members and
   *     its held-out rate are measured on: one seeded sample (0: all)
   */
  public JobApplier(
      UnlearningEngine engine,
      ModelStore store,
      Map<String, String> defaultHyperParameters,
      int retainSample,
      int testSample,
      PromotionGate gate,
      FallbackPolicy fallbacks,
      Clock clock) {
    this(
        engine,
        store,
        defaultHyperParameters,
        retainSample,
        testSample,
        gate,
        fallbacks,
        clock,
        new ModelCache<>(Classifier::copy, Classifier::close));
  }

  /** As the public constructor, keeping the serving model in {@code cache}. */
  JobApplier(
      UnlearningEngine engine,
      ModelStore store,
      Map<String, String> defaultHyperParameters,
      int retainSample,
      int testSample,
      PromotionGate gate,
      FallbackPolicy fallbacks,
      Clock clock,
      ModelCache<Classifier, EvaluationPredictions> cache) {
    this.engine = engine;
    this.store = store;
    this.defaultHyperParameters = Map.copyOf(defaultHyperParameters);
    this.evaluation = new EvaluationSample(retainSample, testSample, engine.config().seed());
    this.gate = gate;
    this.fallbacks = fallbacks;
    this.clock = clock;
    this.cache = cache;
  }

  /**
   * Forgets the model kept in memory between jobs (partitions moved: another worker may write the
   * next versions); takes effect on the job thread before its next use.
   */
  void invalidateCache() {
    cache.invalidate();
  }

  /**
   * Applies the job: its algorithm, then its fallback, then a retrain, until one is promoted. A job
   * that asks for RETRAIN (a policy's choice, or an operator's {@code rumstream retrain}) is a
   * retrain from scratch at once.
   */
  public Applied apply(UnlearnJob job) {
    return applyOrForget(job, requestsRetrain(job) ? RETRAIN_ATTEMPT : 1);
  }

  private static boolean requestsRetrain(UnlearnJob job) {
    return job.getAlgorithm() == dev.rumstream.avro.UnlearningAlgorithm.RETRAIN;
  }

  /** Applies the job by retraining from scratch at once: for a job that kept failing. */
  public Applied escalate(UnlearnJob job) {
    return applyOrForget(job, RETRAIN_ATTEMPT);
  }

  /** A failed job may leave anything behind: the next one starts from the store. */
  private Applied applyOrForget(UnlearnJob job, int firstAttempt) {
    try {
      return apply(job, firstAttempt);
    } catch (RuntimeException | Error e) {
      cache.clear();
      throw e;
    }
  }

  private Applied apply(UnlearnJob job, int firstAttempt) {
    String model = job.getModelId();
    Optional<VersionManifest> done = store.byJob(model, job.getJobId());
    if (done.isPresent()) {
      log.info(
          "Job {} was already applied as version {} of {}: announcing it again",
          job.getJobId(),
          done.get().version(),
          model);
      return new Applied(finishPromotion(done.get()), store.attempts(model, job.getJobId()), true);
    }
    VersionManifest base =
        store
            .promoted(model)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Model " + model + " has no promoted version: train it first (version 0)"));
    Step step = Step.of(job, base);
    // A retrain from scratch is promoted without the gate: no baseline to measure for it.
    VersionManifest.Evidence baseline =
        firstAttempt < RETRAIN_ATTEMPT ? comparable(base, step) : null;
    List<VersionManifest> earlier = store.attempts(model, job.getJobId());
    for (int attempt = firstAttempt; attempt <= RETRAIN_ATTEMPT; attempt++) {
      int number = attempt;
      Optional<VersionManifest> stored =
          earlier.stream().filter(v -> v.attempt() == number).findFirst();
      if (stored.isPresent() && stored.get().status() == VersionStatus.REJECTED) {
        continue;
      }
      if (attempt == FALLBACK_ATTEMPT && stored.isEmpty() && fallbackRepeatsTheJob(job, step)) {
        // The same plan on the same base would make the same rejected candidate again.
        log.info(
            "Job {}: the {} fallback is the plan the gate just rejected; retraining instead",
            job.getJobId(),
            step.level());
        continue;
      }
      try (Attempt tried =
          stored
              .map(v -> new Attempt(v, null, null))
              .orElseGet(() -> run(job, step, base, number))) {
        VersionManifest candidate = tried.version();
        if (attempt == RETRAIN_ATTEMPT) {
          if (candidate.escalated()) {
            log.warn(
                "Job {} escalated: version {} of {} is a retrain from scratch without every deleted"
                    + " example",
                job.getJobId(),
                candidate.version(),
                model);
          }
          return promoted(job, promote(candidate, tried));
        }
        GateResult verdict =
            gate.judge(model, candidate, base, baseline, paired(base, tried.predictions()));
        // The verdict is written with the status it leads to, in one manifest rewrite.
        candidate = candidate.withGate(verdict);
        if (verdict.passed()) {
          return promoted(job, promote(candidate, tried));
        }
        log.warn(
            "Version {} of {} (job {}, attempt {}, {}) failed its gate: {}",
            candidate.version(),
            model,
            job.getJobId(),
            attempt,
            candidate.algorithm(),
            verdict.describeFailures());
        store.reject(candidate, clock.instant());
      }
    }
    throw new IllegalStateException("unreachable: the retrain attempt is always promoted");
  }

  /**
   * The candidate's retain and test accuracy against its base's, example by example (the base's
   * predictions are cached by {@link #comparable}), when the attempt made its own: not for a
   * candidate stored before a restart and judged after it.
   */
  private PromotionGate.PairedChanges paired(
      VersionManifest base, EvaluationPredictions candidate) {
    if (candidate == null) {
      return PromotionGate.PairedChanges.UNKNOWN;
    }
    return cache
        .predictions(base)
        .map(
            before ->
                new PromotionGate.PairedChanges(
                    AccuracyChange.between(
                        before.forRetainRows(candidate.retainRows()).retain().correct(),
                        candidate.retain().correct()),
                    AccuracyChange.between(before.test().correct(), candidate.test().correct())))
        .orElse(PromotionGate.PairedChanges.UNKNOWN);
  }

  /**
   * A job's version found stored and still serving: promoted again, which supersedes any version
   * before it that a crash between its promotion and that step left PROMOTED (otherwise their
   * parameters would outlive the receipts of the examples they learned).
   */
  private VersionManifest finishPromotion(VersionManifest version) {
    boolean serving =
        store
            .promoted(version.modelId())
            .filter(current -> current.version() == version.version())
            .isPresent();
    return serving ? store.promote(version, clock.instant()) : version;
  }

  private Applied promoted(UnlearnJob job, VersionManifest version) {
    log.info(
        "Promoted version {} of {} for job {} (attempt {})",
        version.version(),
        version.modelId(),
        job.getJobId(),
        version.attempt());
    return new Applied(version, store.attempts(job.getModelId(), job.getJobId()), false);
  }

  /**
   * An attempt's version and, when this call produced it, its model in memory and the retain and
   * test predictions its measurement made (null for a version found stored, and predictions null
   * when the base's evidence was reused without them): kept in the cache if the version is
   * promoted.
   */
  private record Attempt(
      VersionManifest version, Classifier model, EvaluationPredictions predictions)
      implements AutoCloseable {
    @Override
    public void close() {
      if (model != null) {
        model.close();
      }
    }
  }

  /**
   * Promotes a candidate; its model, when in memory, is the one the next job starts from, and its
   * predictions are what the next job's measurement reuses if it changes nothing.
   */
  private VersionManifest promote(VersionManifest candidate, Attempt tried) {
    VersionManifest promoted = store.promote(candidate, clock.instant());
    if (tried.model() != null) {
      cache.keep(promoted, tried.model(), tried.predictions());
    }
    return promoted;
  }

  /** What a job deletes, given the version it starts from. */
  private record Step(
      long[] forgetIds,
      DeletedIds ledgerBefore,
      DeletionLedger deletedBefore,
      MemorizationLevel level) {
    static Step of(UnlearnJob job, VersionManifest base) {
      DeletedIds ledgerBefore = base.deleted();
      long[] forgetIds =
          job.getExampleIds().stream()
              .mapToLong(Long::longValue)
              .filter(id -> !ledgerBefore.contains(id))
              .distinct()
              .sorted()
              .toArray();
      return new Step(
          forgetIds,
          ledgerBefore,
          DeletionLedger.of(ledgerBefore.toLongArray()),
          ContractEnums.level(job.getLevel()));
    }

    DeletedIds ledgerAfter() {
      return ledgerBefore.plus(forgetIds);
    }
  }

  /** What an attempt runs: an algorithm and its hyper-parameters, merged with the defaults. */
  private record Plan(UnlearningAlgorithm algorithm, Map<String, String> hyperParameters) {}

  private Plan plan(UnlearnJob job, Step step, int attempt) {
    if (step.forgetIds().length == 0) {
      return new Plan(
          UnlearningAlgorithm.NONE, hyperParameters(UnlearningAlgorithm.NONE, Map.of()));
    }
    if (attempt == 1) {
      UnlearningAlgorithm algorithm = ContractEnums.algorithm(job.getAlgorithm());
      return new Plan(algorithm, hyperParameters(algorithm, job.getHyperParameters()));
    }
    FallbackPolicy.Fallback fallback = fallbacks.forLevel(step.level());
    return new Plan(
        fallback.algorithm(), hyperParameters(fallback.algorithm(), fallback.hyperParameters()));
  }

  private boolean fallbackRepeatsTheJob(UnlearnJob job, Step step) {
    return plan(job, step, 1).equals(plan(job, step, FALLBACK_ATTEMPT));
  }

  /**
   * Runs one attempt on a copy of the base version's model (from memory when it is cached) and
   * stores the result as a CANDIDATE; the returned attempt owns the model.
   */
  private Attempt run(UnlearnJob job, Step step, VersionManifest base, int attempt) {
    if (attempt == RETRAIN_ATTEMPT) {
      return retrain(job, step, base);
    }
    Classifier model = cache.copyOf(base, () -> load(base));
    try {
      Plan plan = plan(job, step, attempt);
      UnlearningAlgorithm algorithm = plan.algorithm();
      log.info(
          "Applying job {} attempt {} ({} {} on {} examples) to version {} of {}",
          job.getJobId(),
          attempt,
          step.level(),
          algorithm,
          step.forgetIds().length,
          base.version(),
          job.getModelId());
      UnlearningOutcome outcome =
          engine.unlearn(
              model,
              Optional.empty(),
              algorithm,
              plan.hyperParameters(),
              step.forgetIds(),
              step.deletedBefore());
      return store(
          job,
          step,
          base,
          attempt,
          new Result(
              algorithm,
              outcome.hyperParameters(),
              model,
              outcome.forgetSize(),
              outcome.retainSize(),
              outcome.wallTimeMillis(),
              null));
    } catch (RuntimeException | Error e) {
      model.close();
      throw e;
    }
  }

  /**
   * Attempt 3: a model trained from scratch on every example not deleted (the whole retain set,
   * never a sample), with version 0's recipe, and its fresh memorization scores.
   */
  private Attempt retrain(UnlearnJob job, Step step, VersionManifest base) {
    DeletionLedger deleted = step.deletedBefore().plus(step.forgetIds());
    VersionManifest original = store.version(job.getModelId(), 0).orElseThrow();
    var recipe = Bootstrap.recipe(original);
    log.info(
        "Retraining {} from scratch for job {}: {} epochs on {} examples ({} deleted)",
        job.getModelId(),
        job.getJobId(),
        recipe.epochs(),
        engine.data().train().size() - deleted.size(),
        deleted.size());
    long started = System.nanoTime();
    UnlearningEngine.TrainedModel trained = engine.trainWithout(spec(base), recipe, deleted);
    Classifier model = trained.model();
    try {
      MemorizationScores scores = trained.proxies().scores(Bootstrap.PROXY);
      Map<String, String> recipeRecord = new HashMap<>(Bootstrap.record(recipe));
      return store(
          job,
          step,
          base,
          RETRAIN_ATTEMPT,
          new Result(
              UnlearningAlgorithm.RETRAIN,
              recipeRecord,
              model,
              step.forgetIds().length,
              scores.size(),
              (System.nanoTime() - started) / 1_000_000,
              scores));
    } catch (RuntimeException | Error e) {
      model.close();
      throw e;
    }
  }

  /** The base version's network shape, read from the cached model (or the stored one). */
  private ModelSpec spec(VersionManifest base) {
    try (Classifier current = cache.copyOf(base, () -> load(base))) {
      return current.spec();
    }
  }

  /** What an attempt produced: the model, how, and (for a retrain) its fresh scores. */
  private record Result(
      UnlearningAlgorithm algorithm,
      Map<String, String> hyperParameters,
      Classifier model,
      int forgetSize,
      int retainSize,
      long wallTimeMillis,
      MemorizationScores freshScores) {
    boolean changedNothing() {
      return algorithm == UnlearningAlgorithm.NONE;
    }
  }

  /**
   * Measures an attempt's model and stores it as a CANDIDATE version; the returned attempt owns the
   * model. A NONE attempt left the base's parameters as they were: its version shares the base's
   * parameter file instead of writing it again, and its measurements reuse the base's: when it
   * forgot nothing new either (every example was deleted before) they are the base's evidence,
   * taken on the same model and the same examples; otherwise, when the base's retain and test
   * predictions are cached, only the forget set is predicted, and asked about by the attack of the
   * parameters: the one fitted when they last changed.
   */
  private Attempt store(
      UnlearnJob job, Step step, VersionManifest base, int attempt, Result result) {
    long[] forgetIds = step.forgetIds();
    Classifier model = result.model();
    Optional<EvaluationPredictions> known =
        result.changedNothing() ? cache.predictions(base) : Optional.empty();
    long measureStarted = System.nanoTime();
    Measured measured =
        result.changedNothing() && forgetIds.length == 0 && sampled(base.evidence())
            ? new Measured(unchanged(base.evidence(), result), known.orElse(null))
            : measure(model, step, result, known);
    long storeStarted = System.nanoTime();
    VersionManifest candidate =
        new VersionManifest(
            job.getModelId(),
            store.nextVersion(job.getModelId()),
            base.version(),
            job.getJobId(),
            job.getForgetSetId(),
            step.level().name(),
            result.algorithm().name(),
            result.hyperParameters(),
            job.getRequestIds(),
            Arrays.stream(forgetIds).boxed().toList(),
            step.ledgerAfter(),
            base.datasetId(),
            base.datasetSize(),
            base.architecture(),
            null,
            0,
            clock.instant(),
            Devices.label(engine.device()),
            measured.evidence(),
            VersionStatus.CANDIDATE,
            clock.instant(),
            null,
            null,
            null,
            attempt,
            attempt == RETRAIN_ATTEMPT && !requestsRetrain(job));
    try {
      VersionManifest stored =
          result.changedNothing()
              ? store.writeSharing(candidate, base)
              : store.write(
                  candidate,
                  dir -> {
                    if (result.freshScores() != null) {
                      Bootstrap.writeScores(
                          result.freshScores(), dir.resolve(Bootstrap.SCORES_FILE));
                    }
                    return ModelFiles.save(model, dir.resolve(ModelStore.PARAMS));
                  });
      log.info(
          "Version {} of {} (job {}, attempt {}): {} took {} ms, measuring {} ms ({} retain and {}"
              + " test examples), storing {} ms",
          stored.version(),
          stored.modelId(),
          job.getJobId(),
          attempt,
          result.algorithm(),
          result.wallTimeMillis(),
          (storeStarted - measureStarted) / 1_000_000,
          measured.evidence().retainEvaluated(),
          measured.evidence().testEvaluated(),
          (System.nanoTime() - storeStarted) / 1_000_000);
      return new Attempt(stored, model, measured.predictions());
    } catch (VersionConflictException e) {
      // Another worker stored a version with this number first (a rebalance moved the job while
      // it ran): the job starts over from what the store now holds.
      throw new IllegalStateException(
          "Version "
              + candidate.version()
              + " of "
              + job.getModelId()
              + " was written by another worker while "
              + job.getJobId()
              + " ran; retrying",
          e);
    }
  }

  /**
   * The base's evidence as the gate compares it with a candidate's: as stored when it was measured
   * on the fixed evaluation samples; otherwise (version 0, measured on all of its data at training)
   * measured on them now. Either way the base's predictions of the samples end up cached with the
   * model (predicted now if they are not, as after a restart), so the gate compares the candidate
   * with it example by example. Comparing two samples would fail a candidate by sampling noise
   * alone.
   */
  private VersionManifest.Evidence comparable(VersionManifest base, Step step) {
    boolean sampled = sampled(base.evidence());
    if (sampled && cache.predictions(base).isPresent()) {
      return base.evidence();
    }
    try (Classifier model = cache.copyOf(base, () -> load(base))) {
      EvaluationSets sets = evaluationSets(new long[0], step.ledgerAfter());
      EvaluationPredictions predictions =
          engine.predict(
              model,
              new EvaluationSets(sets.train(), sets.test(), new int[0], parameterRows(base)));
      cache.keep(base, model, predictions);
      return sampled
          ? base.evidence()
          : evidence(
              engine.measure(model, sets, predictions), sets, 0, sets.retainRows().length, 0);
    }
  }

  /**
   * The evaluation rows the base's parameters were measured on: the fixed sample minus what was
   * deleted when they last changed. A NONE version shares its parent's parameters, so the ids its
   * chain of NONE versions deleted since are counted back in.
   */
  private int[] parameterRows(VersionManifest base) {
    Set<Long> deletedSince = new HashSet<>();
    VersionManifest version = base;
    while (UnlearningAlgorithm.NONE.name().equals(version.algorithm())
        && version.parentVersion() != null) {
      deletedSince.addAll(version.forgetIds());
      long parent = version.parentVersion();
      version =
          store
              .version(base.modelId(), parent)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Version "
                              + parent
                              + " of "
                              + base.modelId()
                              + ", whose parameters a later version shares, has no manifest"));
    }
    DeletedIds deleted = base.deleted();
    return evaluation.retainRows(
        engine.data().train(), id -> deleted.contains(id) && !deletedSince.contains(id));
  }

  /** Whether evidence was measured on the model's fixed evaluation sample. */
  private static boolean sampled(VersionManifest.Evidence evidence) {
    return evidence != null && evidence.retainEvaluated() != null;
  }

  /** The base's measurements, for an attempt that changed neither the model nor the retain set. */
  private static VersionManifest.Evidence unchanged(VersionManifest.Evidence base, Result result) {
    return new VersionManifest.Evidence(
        null,
        base.retainAccuracy(),
        base.testAccuracy(),
        null,
        base.heldOutMia(),
        null,
        result.forgetSize(),
        result.retainSize(),
        result.wallTimeMillis(),
        base.retainEvaluated(),
        base.testEvaluated());
  }

  /** An attempt's evidence and the retain and test predictions it was measured from, if any. */
  private record Measured(VersionManifest.Evidence evidence, EvaluationPredictions predictions) {}

  /**
   * Accuracies on the forget set, the model's fixed retain sample (minus everything deleted, the
   * forget set included) and its fixed test sample; the attack on the forget set and on held-out
   * test examples. Retain and test examples are predicted unless {@code known} holds predictions of
   * these parameters: the base's, on the rows they were measured on when they last changed (these
   * plus the ones deleted since), which the returned predictions stay, so that the next version
   * sharing them is asked by the same attack.
   */
  private Measured measure(
      Classifier model, Step step, Result result, Optional<EvaluationPredictions> known) {
    EvaluationSets sets = evaluationSets(step.forgetIds(), step.ledgerAfter());
    EvaluationPredictions predictions = known.orElseGet(() -> engine.predict(model, sets));
    return new Measured(
        evidence(
            engine.measure(model, sets, predictions),
            sets,
            result.forgetSize(),
            result.retainSize(),
            result.wallTimeMillis()),
        predictions);
  }

  /**
   * The rows of {@code forgetIds}, the fixed retain sample minus {@code deleted} and the fixed test
   * sample.
   */
  private EvaluationSets evaluationSets(long[] forgetIds, DeletedIds deleted) {
    ImageDataset train = engine.data().train();
    return new EvaluationSets(
        train,
        evaluation.testSet(engine.data().test()),
        Arrays.stream(forgetIds).mapToInt(train::rowOf).toArray(),
        evaluation.retainRows(train, deleted::contains));
  }

  /**
   * A measurement on {@code sets} as evidence; the forget figures only when there was a forget set.
   */
  private static VersionManifest.Evidence evidence(
      Measurement measured,
      EvaluationSets sets,
      int forgetSize,
      int retainSize,
      long wallTimeMillis) {
    boolean forgot = sets.forgetRows().length > 0;
    return new VersionManifest.Evidence(
        forgot ? measured.accuracies().forget() : null,
        measured.accuracies().retain(),
        measured.accuracies().test(),
        forgot ? measured.mia() : null,
        Double.isNaN(measured.heldOutMia()) ? null : measured.heldOutMia(),
        null,
        forgetSize,
        retainSize,
        wallTimeMillis,
        sets.retainRows().length,
        sets.test().size());
  }

  private Map<String, String> hyperParameters(
      UnlearningAlgorithm algorithm, Map<String, String> fromJob) {
    return hyperParameters(
        engine.defaultHyperParameters(algorithm), defaultHyperParameters, algorithm, fromJob);
  }

  /**
   * The job's hyper-parameters plus the worker's defaults for those the algorithm has ({@code
   * known}) and the job left out. SalUn's mask always comes from the model being unlearned: older
   * versions are purged. Public so that the quality benchmark runs the product's policy exactly as
   * the worker does.
   */
  public static Map<String, String> hyperParameters(
      Map<String, String> known,
      Map<String, String> workerDefaults,
      UnlearningAlgorithm algorithm,
      Map<String, String> fromJob) {
    Map<String, String> merged = new HashMap<>(fromJob);
    workerDefaults.forEach(
        (name, value) -> {
          if (known.containsKey(name)) {
            merged.putIfAbsent(name, value);
          }
        });
    if (algorithm == UnlearningAlgorithm.SALUN) {
      String source = merged.getOrDefault("mask_source", "current");
      if (!source.equalsIgnoreCase("current")) {
        throw new IllegalArgumentException(
            "SalUn's mask_source must be current: the original model is purged once a deletion is"
                + " promoted");
      }
      merged.put("mask_source", "current");
    }
    return merged;
  }

  private Classifier load(VersionManifest version) {
    return store.load(
        version, file -> ModelFiles.load(file, engine.device()), ModelFiles::checksum);
  }
}
