package dev.rumstream.worker;

import dev.rumstream.config.Settings;
import dev.rumstream.serde.AvroTrust;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The worker's command line: applies unlearning jobs until SIGTERM. */
@Command(
    name = "rumstream-worker",
    mixinStandardHelpOptions = true,
    version = "rumstream-worker 0.1.0",
    description = {
      "Applies rumstream's unlearning jobs (unlearn-jobs) to the latest version of each model, stores every new "
          + "version with its manifest, and publishes it with its evidence and the COMPLETED receipts.",
      "",
      "Configuration: built-in defaults, then --config FILE, then environment variables (RUMSTREAM_MODEL_STORE "
          + "overrides rumstream.model.store, KAFKA_BOOTSTRAP_SERVERS overrides bootstrap.servers, "
          + "SCHEMA_REGISTRY_URL overrides schema.registry.url). Every setting is listed in README.md.",
      "",
      "HTTP (rumstream.http.port): /health/live, /health/ready, /metrics.",
      ""
    })
public final class WorkerApp implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "A properties file over the defaults.")
  Path config;

  public static void main(String[] args) {
    System.exit(new CommandLine(new WorkerApp()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AvroTrust.trustRumstreamContracts();
    Settings settings = Settings.load(WorkerConfig.DEFAULTS, config, System.getenv());
    WorkerConfig workerConfig = WorkerConfig.from(settings);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerService worker = new WorkerService(workerConfig, metrics);
    WorkerHttp http = new WorkerHttp(workerConfig.httpPort(), worker, metrics);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Shutting down");
                  http.close();
                  try {
                    worker.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  stopped.countDown();
                },
                "shutdown"));
    worker.start();
    http.start();
    log.info("rumstream worker started; HTTP on port {}", http.port());
    stopped.await();
    return 0;
  }
}
