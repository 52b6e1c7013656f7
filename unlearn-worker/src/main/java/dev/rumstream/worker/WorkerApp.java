package dev.rumstream.worker;

import dev.rumstream.service.ServiceOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
  @Mixin ServiceOptions service;

  public static void main(String[] args) {
    System.exit(new CommandLine(new WorkerApp()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return service.run("rumstream worker", WorkerConfig.DEFAULTS, WorkerService::shell);
  }
}
