package dev.rumstream.engine;

import ai.djl.Device;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.Unlearners;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.algorithms.UnlearningRequest;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.EvaluationPredictions;
import dev.rumstream.engine.eval.EvaluationSets;
import dev.rumstream.engine.eval.Evaluator;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.eval.PartMeasurement;
import dev.rumstream.engine.eval.UnlearningReport;
import dev.rumstream.engine.memorization.HoldoutRetraining;
import dev.rumstream.engine.memorization.LearningEventProxies;
import dev.rumstream.engine.memorization.LearningEventRecorder;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.ModelTrainer;
import dev.rumstream.engine.train.TrainingRecipe;
import dev.rumstream.engine.train.TrainingRun;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The engine's front door for the worker service and the benchmarks: one dataset, one device, one
 * configuration. Models are owned by the caller (close them).
 */
public final class UnlearningEngine {

  private final EngineConfig config;
  private final DatasetSplits data;
  private final Device device;
  private final Evaluator evaluator;

  public UnlearningEngine(EngineConfig config, DatasetSplits data) {
    this.config = config;
    this.data = data;
    this.device = Devices.select(config.device());
    this.evaluator = new Evaluator(config);
  }

  public DatasetSplits data() {
    return data;
  }

  public Device device() {
    return device;
  }

  public EngineConfig config() {
    return config;
  }

  /** A freshly initialized network for this engine's data and device. */
  public Classifier newModel(ModelSpec spec) {
    return newModel(spec, config.seed());
  }

  /** As {@link #newModel(ModelSpec)}, initialized from another seed. */
  public Classifier newModel(ModelSpec spec, long seed) {
    return Classifier.create(spec, device, seed);
  }

  /** The original model θo with the learning-event proxies recorded along the way. */
  public record TrainedModel(Classifier model, TrainingRun run, LearningEventProxies proxies) {}

  public TrainedModel trainOriginal(ModelSpec spec, TrainingRecipe recipe) {
    Classifier model = newModel(spec);
    LearningEventRecorder recorder = new LearningEventRecorder(data.train());
    TrainingRun run =
        new ModelTrainer(config)
            .train(model, data.train(), data.train().allRows(), recipe, Optional.of(recorder));
    return new TrainedModel(model, run, recorder.snapshot());
  }

  /**
   * A model trained from scratch on every training example not deleted, with the learning-event
   * proxies of those examples: what an unlearning job escalates to when unlearning fails.
   */
  public TrainedModel trainWithout(ModelSpec spec, TrainingRecipe recipe, DeletionLedger deleted) {
    Classifier model = newModel(spec, recipe.seed());
    LearningEventRecorder recorder = new LearningEventRecorder(data.train());
    TrainingRun run =
        new ModelTrainer(config)
            .train(
                model,
                data.train(),
                data.train().rowsExcept(deleted.copy()),
                recipe,
                Optional.of(recorder));
    return new TrainedModel(model, run, recorder.snapshot().observedOnly());
  }

  /** Trains {@code model} in place on these rows of the training data, recording nothing. */
  public TrainingRun train(Classifier model, int[] rows, TrainingRecipe recipe) {
    return new ModelTrainer(config).train(model, data.train(), rows, recipe, Optional.empty());
  }

  /**
   * The holdout-retraining memorization proxy of {@code model}, fine-tuned on the held-out split
   * (which this engine's data must have).
   */
  public MemorizationScores holdoutRetrainingScores(
      Classifier model, HoldoutRetraining.Recipe recipe) {
    ImageDataset heldOut =
        data.heldOut()
            .orElseThrow(() -> new IllegalStateException("the data has no held-out split"));
    return new HoldoutRetraining(evaluator.inference())
        .scores(model, heldOut, data.train(), recipe);
  }

  /** Every hyper-parameter of an algorithm with its default value. */
  public Map<String, String> defaultHyperParameters(UnlearningAlgorithm algorithm) {
    return unlearner(algorithm, Map.of()).hyperParameters();
  }

  public Unlearner unlearner(UnlearningAlgorithm algorithm, Map<String, String> hyperParameters) {
    return Unlearners.create(algorithm, hyperParameters, config);
  }

  /**
   * Applies one algorithm to {@code model} in place: forgets {@code forgetIds}, never trains on
   * anything in {@code deletedBefore}. {@code original} (θo) is needed by SalUn's default mask
   * source.
   */
  public UnlearningOutcome unlearn(
      Classifier model,
      Optional<Classifier> original,
      UnlearningAlgorithm algorithm,
      Map<String, String> hyperParameters,
      long[] forgetIds,
      DeletionLedger deletedBefore) {
    return unlearner(algorithm, hyperParameters)
        .unlearn(model, new UnlearningRequest(data.train(), forgetIds, deletedBefore, original));
  }

  /**
   * Measures a model for a forget set: accuracies on S, R (everything not deleted) and test; MIA;
   * entanglement.
   */
  public Measurement measure(
      Classifier model, long[] forgetIds, DeletionLedger deletedBefore, boolean entanglement) {
    return evaluator.measure(
        model,
        EvaluationSets.of(data.train(), data.test(), forgetIds, deletedBefore),
        entanglement);
  }

  /**
   * As {@link #measure(Classifier, long[], DeletionLedger, boolean)} without entanglement, with the
   * retain accuracy and the attack's shadow members measured on a sample of at most {@code
   * retainSample} retain examples, seeded by the engine's seed (so every version of a model is
   * measured on the same examples).
   */
  public Measurement measure(
      Classifier model, long[] forgetIds, DeletionLedger deletedBefore, int retainSample) {
    return evaluator.measure(
        model,
        EvaluationSets.of(data.train(), data.test(), forgetIds, deletedBefore)
            .withRetainSample(retainSample, config.seed()),
        false);
  }

  /** Measures a model on sets the caller chose (e.g. samples shared by many models). */
  public Measurement measure(Classifier model, EvaluationSets sets) {
    return evaluator.measure(model, sets, false);
  }

  /**
   * A model's predictions of the sets' retain rows and test set: what {@link #measure(Classifier,
   * EvaluationSets, EvaluationPredictions)} reuses while the model's parameters stay as they are.
   */
  public EvaluationPredictions predict(Classifier model, EvaluationSets sets) {
    return evaluator.predictions(model, sets);
  }

  /**
   * As {@link #measure(Classifier, EvaluationSets)}, predicting only the forget rows: the retain
   * and test predictions are {@code known}'s, made with the same parameters on these sets' retain
   * rows or more (e.g. before the forget set was deleted from them).
   */
  public Measurement measure(Classifier model, EvaluationSets sets, EvaluationPredictions known) {
    return evaluator.measure(model, sets, known);
  }

  /**
   * Measures a model on sets the caller chose, with each part of the forget set (e.g. each
   * memorization level) measured on its own too.
   */
  public PartMeasurement measure(Classifier model, EvaluationSets sets, int[]... forgetParts) {
    return evaluator.measure(model, sets, forgetParts);
  }

  /** The model's accuracy on these rows of the training data. */
  public double accuracy(Classifier model, int[] rows) {
    return evaluator.inference().accuracy(model, data.train(), rows);
  }

  /** Whether the model classifies each of these rows of the training data correctly. */
  public boolean[] correct(Classifier model, int[] rows) {
    return evaluator.inference().predict(model, data.train(), rows).correct();
  }

  /**
   * The evidence for one step: measurements of the unlearned model; the entanglement score is read
   * from the model the step started from (how hard the step was), and ToW/ToW-MIA come from the
   * reference when given.
   */
  public UnlearningReport report(
      String label,
      UnlearningOutcome outcome,
      Classifier unlearned,
      Optional<Classifier> startedFrom,
      long[] forgetIds,
      DeletionLedger deletedBefore,
      Optional<Measurement> reference) {
    EvaluationSets sets = EvaluationSets.of(data.train(), data.test(), forgetIds, deletedBefore);
    Measurement after = evaluator.measure(unlearned, sets, false);
    if (startedFrom.isPresent()) {
      after =
          new Measurement(
              after.accuracies(),
              after.mia(),
              after.heldOutMia(),
              OptionalDouble.of(evaluator.entanglement(startedFrom.get(), sets)));
    }
    return UnlearningReport.of(label, outcome, after, reference, Devices.label(device));
  }
}
