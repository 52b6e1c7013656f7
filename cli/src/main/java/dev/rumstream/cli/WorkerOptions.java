package dev.rumstream.cli;

import dev.rumstream.config.Settings;
import dev.rumstream.worker.WorkerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The worker's configuration for a command that works on its model store or topics: the worker's
 * defaults, then {@code --config FILE}, then the environment, as the worker itself reads them.
 */
final class WorkerOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The worker's properties file.")
  Path config;

  WorkerConfig load() {
    return WorkerConfig.from(Settings.load(WorkerConfig.DEFAULTS, config, System.getenv()));
  }
}
