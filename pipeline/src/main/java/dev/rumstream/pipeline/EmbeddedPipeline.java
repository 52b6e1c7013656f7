package dev.rumstream.pipeline;

import dev.rumstream.config.Settings;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.streams.TopicSetup;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import dev.rumstream.worker.Bootstrap;
import dev.rumstream.worker.WorkerConfig;
import dev.rumstream.worker.WorkerService;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * The system in one JVM on a given broker and registry: its topics, the streams app, a worker and
 * the worker's model store with a version 0. What is not asked for (the streams app, the worker) is
 * not built. Both services run in their {@link ServiceShell}, HTTP on a free port.
 */
public final class EmbeddedPipeline implements AutoCloseable {
  private static final Duration START_PATIENCE = Duration.ofMinutes(2);

  private final Settings streamsSettings;
  private final Map<String, String> workerSettings;
  private final TopicNames topics;
  private final List<Path> scratch;
  private final List<ServiceShell<?>> running = new ArrayList<>();

  private EmbeddedPipeline(
      Settings streamsSettings,
      Map<String, String> workerSettings,
      TopicNames topics,
      List<Path> scratch) {
    this.streamsSettings = streamsSettings;
    this.workerSettings = workerSettings == null ? null : Map.copyOf(workerSettings);
    this.topics = topics;
    this.scratch = List.copyOf(scratch);
  }

  /** A pipeline on this broker and registry. */
  public static Builder on(String bootstrapServers, String registryUrl) {
    return new Builder(bootstrapServers, registryUrl);
  }

  /** What the pipeline is made of; {@link #create()} makes its topics, nothing runs yet. */
  public static final class Builder {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> common = new HashMap<>();
    private Map<String, String> streams;
    private Map<String, String> worker;
    private int partitions = 1;
    private final List<Path> scratch = new ArrayList<>();

    private Builder(String bootstrapServers, String registryUrl) {
      common.put("bootstrap.servers", bootstrapServers);
      common.put("schema.registry.url", registryUrl);
      common.putAll(TopicNames.suffixedSettings("-" + run));
    }

    /** Topic names ({@link Topic#nameKey()} settings) instead of this run's own. */
    public Builder topics(Map<String, String> names) {
      common.putAll(names);
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /**
     * With the streams app, these settings over its defaults (by default: its own application id
     * and state directory).
     */
    public Builder streams(Map<String, String> overrides) {
      streams = new HashMap<>(common);
      streams.put("application.id", "rumstream-embedded-" + run);
      streams.put("rumstream.http.port", "0");
      // The embedded default is a local trial: the development subject-hash key is allowed.
      streams.put("rumstream.dev.mode", "true");
      streams.putAll(overrides);
      streams.computeIfAbsent("state.dir", key -> scratch("rumstream-embedded-streams-"));
      return this;
    }

    /**
     * With a worker, these settings over its defaults (by default: its own group, id and an empty
     * model store).
     */
    public Builder worker(Map<String, String> overrides) {
      worker = new HashMap<>(common);
      worker.put("group.id", "rumstream-embedded-worker-" + run);
      worker.put("rumstream.worker.id", "embedded-" + run);
      worker.put("rumstream.http.port", "0");
      worker.put("rumstream.dev.mode", "true");
      worker.putAll(overrides);
      worker.computeIfAbsent("rumstream.model.store", key -> scratch("rumstream-embedded-store-"));
      return this;
    }

    /** Creates the topics that do not exist yet; starts nothing. */
    public EmbeddedPipeline create() {
      Settings streamsSettings = streams == null ? null : Settings.of(StreamsApp.DEFAULTS, streams);
      TopicNames topics =
          streamsSettings != null
              ? streamsSettings.topics()
              : Settings.of(WorkerConfig.DEFAULTS, worker).topics();
      Map<String, Object> admin = new HashMap<>(common);
      TopicSetup.ensure(admin, topics, partitions, (short) 1);
      return new EmbeddedPipeline(streamsSettings, worker, topics, scratch);
    }

    /** A temporary directory that {@link EmbeddedPipeline#close()} deletes. */
    private String scratch(String prefix) {
      try {
        Path dir = Files.createTempDirectory(prefix);
        scratch.add(dir);
        return dir.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public String topic(Topic<?, ?> topic) {
    return topics.name(topic);
  }

  public Settings streamsSettings() {
    return streamsSettings;
  }

  /** The worker's settings, e.g. to start it as a process of its own. */
  public Map<String, String> workerSettings() {
    return workerSettings;
  }

  public WorkerConfig workerConfig() {
    return WorkerConfig.from(Settings.of(WorkerConfig.DEFAULTS, workerSettings));
  }

  /** The worker's model store. */
  public ModelStore store() {
    return new ModelStore(workerConfig().modelStore());
  }

  /** Stores an untrained small CNN as version 0 of the model (quick; quality does not matter). */
  public VersionManifest storeUntrainedVersionZero(String modelId) {
    return VersionZero.untrained(workerConfig(), store(), modelId);
  }

  /**
   * Stores the model trained on the worker's dataset as version 0 and publishes it with its
   * memorization scores; the training is cached in {@code cache} for the next run.
   */
  public VersionManifest storeTrainedVersionZero(Path cache, String modelId, int epochs) {
    return Bootstrap.fromCache(
        workerConfig(), new ModelStore(cache.toAbsolutePath()), store(), modelId, epochs);
  }

  /** Starts the streams app and waits until it is RUNNING. */
  public ServiceShell<StreamsService> startStreams() throws Exception {
    ServiceShell<StreamsService> shell = track(StreamsService.shell(streamsSettings));
    shell.start().service().awaitReady(START_PATIENCE);
    return shell;
  }

  /** Starts the worker; {@code awaitReady} waits until it consumes. */
  public ServiceShell<WorkerService> startWorker(boolean awaitReady) throws Exception {
    ServiceShell<WorkerService> shell =
        track(WorkerService.shell(Settings.of(WorkerConfig.DEFAULTS, workerSettings)));
    shell.start();
    if (awaitReady) {
      shell.service().awaitReady(START_PATIENCE);
    }
    return shell;
  }

  private synchronized <S extends ServiceShell<?>> S track(S shell) {
    running.add(shell);
    return shell;
  }

  /**
   * Closes what runs, the last started first, then deletes the temporary directories the builder
   * made (the state directory and model store that no setting named).
   */
  @Override
  public synchronized void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    running.clear();
    for (Path dir : scratch) {
      try {
        Utils.delete(dir.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete " + dir, e);
      }
    }
  }
}
