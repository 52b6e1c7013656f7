package dev.rumstream.worker;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.config.Settings;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.data.ImageFolders;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.service.Health;
import dev.rumstream.service.RunningService;
import dev.rumstream.service.ServiceHttp;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.worker.lifecycle.PromotionGate;
import dev.rumstream.worker.store.ModelStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker: the engine over the configured dataset, the model store, and the job loop on
 * its thread.
 */
public final class WorkerService implements RunningService {
  private static final Logger log = LoggerFactory.getLogger(WorkerService.class);

  private final WorkerConfig config;
  private final JobLoop loop;
  private final ModelStore store;
  private final Thread thread;

  /** The worker in its shell: the only place a {@link WorkerService} is built. */
  public static ServiceShell<WorkerService> shell(Settings settings) throws Exception {
    return ServiceShell.open(
        settings, (loaded, metrics) -> new WorkerService(WorkerConfig.from(loaded), metrics));
  }

  private WorkerService(WorkerConfig config, MeterRegistry registry) {
    if (!config.devMode() && config.auditKey().equals(AuditChain.DEVELOPMENT_KEY)) {
      throw new ConfigException(AuditChain.DEVELOPMENT_KEY_REFUSED);
    }
    this.config = config;
    UnlearningEngine engine = new UnlearningEngine(config.engine(), dataset(config));
    log.info("Unlearning on {}", Devices.label(engine.device()));
    this.store = new ModelStore(config.modelStore());
    WorkerMetrics metrics = new WorkerMetrics(registry, Devices.label(engine.device()));
    store.models().forEach(model -> store.promoted(model).ifPresent(metrics::versionAnnounced));
    this.loop =
        new JobLoop(
            config,
            new JobApplier(
                engine,
                store,
                config.defaultHyperParameters(),
                config.evaluationRetainSample(),
                config.evaluationTestSample(),
                new PromotionGate(config.gate()),
                config.fallbacks(),
                Clock.systemUTC()),
            store,
            metrics,
            Clock.systemUTC());
    this.thread = new Thread(loop, "job-loop");
  }

  /** The training data of the models this worker serves, as configured. */
  public static DatasetSplits dataset(WorkerConfig config) {
    return switch (config.dataset()) {
      case "fashion-mnist" ->
          config.datasetDir().isBlank()
              ? FashionMnist.load()
              : FashionMnist.load(Path.of(config.datasetDir()), HeldOut.NONE);
      case "folder" ->
          ImageFolders.load(Path.of(config.datasetDir()), config.imageFormat(), HeldOut.NONE);
      default ->
          throw new IllegalArgumentException(
              "rumstream.dataset must be fashion-mnist or folder, not " + config.dataset());
    };
  }

  /** {@code GET /models/{id}/current}: the version that serves, for serving systems. */
  @Override
  public List<ServiceHttp.Endpoint> endpoints() {
    return List.of(new ServiceHttp.Endpoint(ModelEndpoint.PATH, new ModelEndpoint(store)));
  }

  @Override
  public void start() {
    thread.start();
  }

  /** Null when the worker is consuming normally; otherwise why it is not ready. */
  public String problem() {
    return thread.isAlive() ? loop.problem() : "the job loop is not running";
  }

  /** Alive until the job loop has stopped (before start, too: a starting worker is not dead). */
  @Override
  public Health live() {
    return Health.of(thread.getState() != Thread.State.TERMINATED);
  }

  /** Ready while consuming with no job blocked; otherwise says why not. */
  @Override
  public Health ready() {
    String problem = problem();
    return problem == null ? Health.of(true) : Health.of(false, "problem", problem);
  }

  @Override
  public void close() {
    loop.stop();
    try {
      thread.join(config.shutdownTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
