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

  /** How a command builds its service in its shell from the loaded settings. */
  @FunctionalInterface
  public interface Opener {
    ServiceShell<?> open(Settings settings) throws Exception;
  }

  /**
   * Loads the configuration (the defaults resource, then --config, then the environment) and runs
   * the service it opens until SIGTERM, or only prints the configuration.
   */
  public int run(String name, String defaultsResource, Opener opener) throws Exception {
    AvroTrust.trustRumstreamContracts();
    Settings settings = Settings.load(defaultsResource, config, System.getenv());
    if (printConfig) {
      System.out.println(settings);
      return 0;
    }
    return opener.open(settings).runUntilStopped(name);
  }
}
