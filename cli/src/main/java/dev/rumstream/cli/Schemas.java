package dev.rumstream.cli;

import dev.rumstream.config.Settings;
import dev.rumstream.serde.ContractRegistration;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The deploy step that registers the topic contracts (the services do not register them). */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description = {
      "Registers the Avro contract of every topic under <topic>-value with compatibility "
          + ContractRegistration.COMPATIBILITY
          + ": the deploy step before the services start (they run with "
          + "auto.register.schemas=false). Idempotent; a schema that breaks compatibility is "
          + "refused by the registry and the command fails.",
      "Reads the streams app's configuration (--config FILE, then KAFKA_* / SCHEMA_REGISTRY_* "
          + "variables), so renamed topics and registry credentials apply."
    })
final class Schemas implements Callable<Integer> {
  @Mixin StreamsOptions streams;

  @Option(
      names = "--check",
      description =
          "Change nothing: exit 1, saying why, unless every contract of this release is registered "
              + "with compatibility BACKWARD (an init step that waits for the deploy step).")
  boolean check;

  @Override
  public Integer call() {
    Settings settings = streams.load();
    RegistryClient registry = new RegistryClient(RegistryConfig.from(settings.kafka()));
    if (check) {
      List<String> problems = new ContractRegistration(registry).problems(settings.topics());
      problems.forEach(problem -> System.err.println("not ready: " + problem));
      return problems.isEmpty() ? 0 : 1;
    }
    for (ContractRegistration.Registered registered :
        new ContractRegistration(registry).registerAll(settings.topics())) {
      System.out.printf(
          "%-40s schema id %d, latest version %d%s%n",
          registered.subject(),
          registered.id(),
          registered.latest().version(),
          registered.latest().id() == registered.id() ? "" : " (a newer schema is registered)");
    }
    return 0;
  }
}
