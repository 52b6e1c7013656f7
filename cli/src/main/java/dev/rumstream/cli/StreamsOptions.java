package dev.rumstream.cli;

import dev.rumstream.config.Settings;
import dev.rumstream.streams.StreamsApp;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The streams app's configuration for a command that works on its topics or keys (a picocli mixin):
 * its defaults, then {@code --config FILE}, then the environment, as the streams app reads them, so
 * renamed topics, registry credentials and the audit key apply.
 */
final class StreamsOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The streams app's properties file.")
  Path config;

  Settings load() {
    return Settings.load(StreamsApp.DEFAULTS, config, System.getenv());
  }
}
