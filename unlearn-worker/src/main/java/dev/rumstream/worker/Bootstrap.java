package dev.rumstream.worker;

import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.memorization.ProxyKind;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.engine.train.LearningRateSchedule;
import dev.rumstream.engine.train.TrainingRecipe;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.topics.ExampleIdSet;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a model ready for deletions: trains the original model (version 0) while recording its
 * learning-event memorization proxies, stores it with its scores, and publishes the scores (with
 * the training-set tertiles the refiner cuts at) to {@code memorization-scores} and the version to
 * {@code model-versions}. A model already stored is not trained again; a model already published,
 * or already serving a later version, is left alone ({@link #ensure}), so the step can run at every
 * start of a stack.
 */
public final class Bootstrap {
  /** The proxy the scores are published with: the confidence proxy (rum-method.md §3.4a). */
  public static final ProxyKind PROXY = ProxyKind.CONFIDENCE;

  static final String SCORES_FILE = "scores-confidence.bin";

  /** Written beside a model's versions once version 0 is published (a file, not a version). */
  static final String PUBLISHED_MARKER = "bootstrap-published";

  /** What {@link #ensure} did. */
  public enum Outcome {
    TRAINED_AND_PUBLISHED,
    PUBLISHED_STORED,
    NOTHING_TO_DO
  }

  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

  private final WorkerConfig config;
  private final UnlearningEngine engine;
  private final ModelStore store;
  private final Clock clock;

  public Bootstrap(WorkerConfig config, UnlearningEngine engine, ModelStore store, Clock clock) {
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Makes the model ready once: trains and stores version 0 unless stored, and publishes it unless
   * it was published before or the model already serves a later version (a republished version 0
   * would announce a model that deletions have since changed).
   */
  public Outcome ensure(String modelId, ModelSpec spec, TrainingRecipe recipe) {
    Path marker = store.root().resolve(modelId).resolve(PUBLISHED_MARKER);
    Optional<VersionManifest> serving = store.promoted(modelId);
    if (Files.exists(marker) || serving.map(v -> v.version() > 0).orElse(false)) {
      log.info(
          "Model {} is already bootstrapped (serving version {}); nothing to do",
          modelId,
          serving.map(v -> Long.toString(v.version())).orElse("none"));
      return Outcome.NOTHING_TO_DO;
    }
    boolean stored = store.version(modelId, 0).isPresent();
    publish(trainIfAbsent(modelId, spec, recipe));
    try {
      Files.writeString(marker, clock.instant().toString() + System.lineSeparator());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot mark " + modelId + " as published at " + marker, e);
    }
    return stored ? Outcome.PUBLISHED_STORED : Outcome.TRAINED_AND_PUBLISHED;
  }

  /** Version 0 of the model: the stored one, or a newly trained one. */
  public VersionManifest trainIfAbsent(String modelId, ModelSpec spec, TrainingRecipe recipe) {
    Optional<VersionManifest> existing = store.version(modelId, 0);
    if (existing.isPresent()) {
      log.info(
          "Model {} is already trained (version 0 at {}); not training again",
          modelId,
          store.directory(existing.get()));
      return existing.get();
    }
    log.info(
        "Training {} ({}, {} epochs) on {} examples of {}",
        modelId,
        spec.architecture(),
        recipe.epochs(),
        engine.data().train().size(),
        engine.data().train().name());
    UnlearningEngine.TrainedModel trained = engine.trainOriginal(spec, recipe);
    try (Classifier model = trained.model()) {
      MemorizationScores scores = trained.proxies().scores(PROXY);
      Map<String, String> recipeRecord = new HashMap<>(record(recipe));
      recipeRecord.put(
          "mean_epoch_seconds", String.format("%.1f", trained.run().meanEpochSeconds()));
      var measured =
          engine.measure(
              model, new long[0], dev.rumstream.engine.data.DeletionLedger.empty(), false);
      VersionManifest v0 =
          VersionManifest.original(
              modelId,
              recipeRecord,
              engine.data().train().name(),
              engine.data().train().size(),
              spec.architecture().name(),
              clock.instant(),
              Devices.label(engine.device()),
              new VersionManifest.Evidence(
                  null,
                  measured.accuracies().retain(),
                  measured.accuracies().test(),
                  null,
                  null,
                  0,
                  engine.data().train().size(),
                  0));
      VersionManifest stored =
          store.write(
              v0,
              dir -> {
                writeScores(scores, dir.resolve(SCORES_FILE));
                return ModelFiles.save(model, dir.resolve(ModelStore.PARAMS));
              });
      log.info(
          "Stored version 0 of {}: train accuracy {}, test accuracy {}",
          modelId,
          String.format("%.4f", measured.accuracies().retain()),
          String.format("%.4f", measured.accuracies().test()));
      return stored;
    }
  }

  /**
   * Version 0 for a run of its own (the demo, the latency benchmark): the small CNN trained with
   * the paper's recipe into {@code cache} unless it is stored there already, copied into {@code
   * store}, where the run's worker unlearns (so the cached original never changes), and published
   * from there.
   */
  public static VersionManifest fromCache(
      WorkerConfig config, ModelStore cache, ModelStore store, String modelId, int epochs) {
    UnlearningEngine engine = new UnlearningEngine(config.engine(), WorkerService.dataset(config));
    VersionManifest trained =
        new Bootstrap(config, engine, cache, Clock.systemUTC())
            .trainIfAbsent(
                modelId,
                ModelSpec.smallCnn(engine.data().train()),
                TrainingRecipe.paper(epochs, config.engine().seed()));
    VersionManifest v0 = store.copyFrom(cache, trained);
    new Bootstrap(config, engine, store, Clock.systemUTC()).publish(v0);
    return v0;
  }

  /**
   * Publishes version 0's scores and then its announcement, so the streams app knows both before
   * requests come.
   */
  public void publish(VersionManifest v0) {
    storeExampleIds(v0.modelId());
    List<MemorizationScore> scores = Announcements.scores(v0, storedScores(store, v0));
    RegistryClient registry = new RegistryClient(RegistryConfig.from(config.kafka()));
    Map<String, Object> props = new HashMap<>(config.kafka());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer<>(registry))) {
      for (MemorizationScore score : scores) {
        producer.send(
            new ProducerRecord<>(
                config.topic(Topic.MEMORIZATION_SCORES),
                Keys.score(v0.modelId(), score.getExampleId()),
                score));
      }
      producer.flush();
      ModelVersion announcement = Announcements.version(v0, store);
      producer.send(
          new ProducerRecord<>(config.topic(Topic.MODEL_VERSIONS), v0.modelId(), announcement));
      producer.flush();
    }
    ScoreDistribution distribution = scores.get(0).getDistribution();
    log.info(
        "Published {} {} scores (tertiles {} / {}) and version 0 of {}",
        scores.size(),
        PROXY,
        String.format("%.4f", distribution.getLowerTertile()),
        String.format("%.4f", distribution.getUpperTertile()),
        v0.modelId());
  }

  /**
   * Stores the training set's ids beside the model's versions when they are not 0 to size - 1 (an
   * image folder's hashed ids), so that every announcement carries them and the streams app accepts
   * exactly those ids.
   */
  private void storeExampleIds(String modelId) {
    ImageDataset train = engine.data().train();
    Optional<ByteBuffer> encoded = ExampleIdSet.encode(train.ids(train.allRows()));
    if (encoded.isEmpty()) {
      return;
    }
    Path file = store.root().resolve(modelId).resolve(Announcements.EXAMPLE_IDS);
    try {
      byte[] bytes = new byte[encoded.get().remaining()];
      encoded.get().get(bytes);
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store the example ids of " + modelId, e);
    }
    log.info(
        "Stored the {} example ids of {} ({} bytes)",
        train.size(),
        modelId,
        file.toFile().length());
  }

  /** A training recipe as a manifest records it (version 0's hyper-parameters). */
  public static Map<String, String> record(TrainingRecipe recipe) {
    return Map.of(
        "epochs", Integer.toString(recipe.epochs()),
        "lr", Double.toString(recipe.learningRate()),
        "momentum", Double.toString(recipe.momentum()),
        "weight_decay", Double.toString(recipe.weightDecay()),
        "batch_size", Integer.toString(recipe.batchSize()),
        "schedule", recipe.schedule().name(),
        "seed", Long.toString(recipe.seed()));
  }

  /** The recipe version 0 of a model was trained with, from its manifest (kept after a purge). */
  static TrainingRecipe recipe(VersionManifest v0) {
    Map<String, String> r = v0.hyperParameters();
    return new TrainingRecipe(
        Integer.parseInt(r.get("epochs")),
        Double.parseDouble(r.get("lr")),
        Double.parseDouble(r.get("momentum")),
        Double.parseDouble(r.get("weight_decay")),
        Integer.parseInt(r.get("batch_size")),
        LearningRateSchedule.valueOf(r.get("schedule")),
        Long.parseLong(r.get("seed")));
  }

  /** The memorization scores stored with version 0 of a model. */
  public static MemorizationScores storedScores(ModelStore store, VersionManifest v0) {
    return readScores(store.directory(v0).resolve(SCORES_FILE));
  }

  /** Tertiles and median of the raw scores over the whole training set. */
  static ScoreDistribution distribution(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new ScoreDistribution(
        (long) sorted.length,
        quantile(sorted, 1.0 / 3),
        quantile(sorted, 0.5),
        quantile(sorted, 2.0 / 3));
  }

  /** Linear interpolation between closest ranks (numpy's default). */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = Math.min(lower + 1, sorted.length - 1);
    return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
  }

  static void writeScores(MemorizationScores scores, Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.writeUTF(scores.kind().name());
      out.writeInt(scores.size());
      for (int i = 0; i < scores.size(); i++) {
        out.writeLong(scores.ids()[i]);
        out.writeDouble(scores.values()[i]);
      }
    }
  }

  static MemorizationScores readScores(Path file) {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      ProxyKind kind = ProxyKind.valueOf(in.readUTF());
      int n = in.readInt();
      long[] ids = new long[n];
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        ids[i] = in.readLong();
        values[i] = in.readDouble();
      }
      return new MemorizationScores(kind, ids, values);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the stored scores " + file, e);
    }
  }
}
