package dev.rumstream.streams;

import dev.rumstream.config.Settings;
import dev.rumstream.serde.AvroTrust;
import dev.rumstream.streams.http.StatusServer;
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

/**
 * The streams app's command line: loads the configuration, runs until SIGTERM, then shuts down
 * cleanly.
 */
@Command(
    name = "rumstream-streams",
    mixinStandardHelpOptions = true,
    version = "rumstream-streams 0.1.0",
    description = {
      "Runs the rumstream deletion topology: validates deletion requests, gathers them into windowed forget "
          + "sets, annotates every example with its memorization score and emits refined unlearning jobs (RUM).",
      "",
      "Configuration: built-in defaults, then --config FILE, then environment variables (RUMSTREAM_WINDOW_SIZE "
          + "overrides rumstream.window.size, KAFKA_BOOTSTRAP_SERVERS overrides bootstrap.servers, "
          + "SCHEMA_REGISTRY_URL overrides schema.registry.url). Every setting is listed in README.md.",
      "",
      "HTTP (rumstream.http.port): /health/live, /health/ready, /metrics, GET /requests/{id}.",
      ""
    })
public final class StreamsApp implements Callable<Integer> {
  /** The streams app's built-in defaults. */
  public static final String DEFAULTS = "/rumstream-streams-defaults.properties";

  private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "A properties file over the defaults.")
  Path config;

  @Option(
      names = "--create-topics",
      description = "Create missing topics first, with the cleanup policies of DESIGN.md.",
      defaultValue = "false")
  boolean createTopics;

  @Option(
      names = "--partitions",
      defaultValue = "1",
      description = "Partitions of topics created by --create-topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--print-config",
      description = "Print the effective configuration (secrets masked) and exit.")
  boolean printConfig;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamsApp()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AvroTrust.trustRumstreamContracts();
    Settings settings = Settings.load(DEFAULTS, config, System.getenv());
    if (printConfig) {
      System.out.println(settings);
      return 0;
    }
    if (createTopics) {
      TopicSetup.ensure(
          settings.kafka(), TopologyConfig.from(settings).topics(), partitions, (short) 1);
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DeletionService service = new DeletionService(settings, metrics);
    StatusServer http = new StatusServer(settings.integer("rumstream.http.port"), service, metrics);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Shutting down");
                  http.close();
                  service.close();
                  stopped.countDown();
                },
                "shutdown"));
    service.start();
    http.start();
    log.info("rumstream streams app started; HTTP on port {}", http.port());
    stopped.await();
    return 0;
  }
}
