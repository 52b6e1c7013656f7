package dev.rumstream.streams;

import dev.rumstream.service.ServiceOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ServiceOptions service;

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

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamsApp()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return service.run(
        "rumstream streams app",
        DEFAULTS,
        settings -> {
          if (createTopics) {
            TopicSetup.ensure(settings.kafka(), settings.topics(), partitions, (short) 1);
          }
          return StreamsService.shell(settings);
        });
  }
}
