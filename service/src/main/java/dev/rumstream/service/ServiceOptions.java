package dev.rumstream.service;

import dev.rumstream.config.Settings;
import dev.rumstream.serde.AvroTrust;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options both services' commands take (a picocli mixin), and how a command runs. */
public final class ServiceOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "A properties file over the defaults.")
  Path config;

  @Option(
      names = "--print-config",
      description = "Print the effective configuration (secrets masked) and exit.")
  boolean printConfig;

  /**
   * Loads the configuration (the defaults resource, then --config, then the environment) and runs
   * the service it builds until SIGTERM, or only prints the configuration.
   */
  public <S extends RunningService> int run(
      String name, String defaultsResource, ServiceShell.Factory<S> factory) throws Exception {
    AvroTrust.trustRumstreamContracts();
    Settings settings = Settings.load(defaultsResource, config, System.getenv());
    if (printConfig) {
      System.out.println(settings);
      return 0;
    }
    return ServiceShell.open(settings, factory).runUntilStopped(name);
  }
}
