package dev.rumstream.worker;

import dev.rumstream.config.Settings;
import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.data.ImageFolders;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import dev.rumstream.worker.lifecycle.FallbackPolicy;
import dev.rumstream.worker.lifecycle.GateSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Everything the worker needs to know, read once from {@link Settings}. */
public record WorkerConfig(
    Map<String, Object> kafka,
    TopicNames topics,
    Path modelStore,
    String workerId,
    String dataset,
    String datasetDir,
    ImageFolders.Format imageFormat,
    EngineConfig engine,
    Map<String, String> defaultHyperParameters,
    int evaluationRetainSample,
    int evaluationTestSample,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    int maxJobAttempts,
    GateSettings gate,
    FallbackPolicy fallbacks,
    Duration purgeGrace,
    Duration shutdownTimeout,
    String auditKey,
    boolean devMode) {

  /** The worker's built-in defaults. */
  public static final String DEFAULTS = "/rumstream-worker-defaults.properties";

  public WorkerConfig {
    kafka = Map.copyOf(kafka);
    defaultHyperParameters = Map.copyOf(defaultHyperParameters);
  }

  /** {@code CxHxW}, e.g. {@code 3x32x32}: channels, height and width images are scaled to. */
  static ImageFolders.Format imageFormat(String text) {
    String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "rumstream.dataset.image.format must look like 3x32x32, not " + text);
    }
    return new ImageFolders.Format(
        Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }

  public String topic(Topic<?, ?> topic) {
    return topics.name(topic);
  }

  public static WorkerConfig from(Settings settings) {
    EngineConfig engine =
        EngineConfig.defaults()
            .withSeed(Long.parseLong(settings.string("rumstream.seed")))
            .withMiaShadowSize(settings.integer("rumstream.eval.mia.shadow.size"))
            .withEvalBatchSize(settings.integer("rumstream.eval.batch.size"))
            .withDevice(settings.choice("rumstream.device", EngineConfig.DevicePreference.class))
            .withProgress(true);
    return new WorkerConfig(
        settings.kafka(),
        settings.topics(),
        Path.of(settings.string("rumstream.model.store")),
        settings.string("rumstream.worker.id"),
        settings.string("rumstream.dataset"),
        settings.string("rumstream.dataset.dir", ""),
        imageFormat(settings.string("rumstream.dataset.image.format")),
        engine,
        settings.under("rumstream.job.default.hp."),
        settings.integer("rumstream.eval.retain.sample"),
        settings.integer("rumstream.eval.test.sample"),
        settings.duration("rumstream.job.retry.backoff"),
        settings.duration("rumstream.job.retry.backoff.max"),
        settings.integer("rumstream.job.max.attempts"),
        GateSettings.from(settings),
        FallbackPolicy.from(settings),
        settings.duration("rumstream.store.purge.grace"),
        settings.duration("rumstream.shutdown.timeout"),
        settings.string("rumstream.audit.key"),
        Boolean.parseBoolean(settings.string("rumstream.dev.mode")));
  }
}
