package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout's files the tests read: the deploy module's manifests, the compose file, the
 * Dockerfiles.
 */
final class Repo {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** The repository root (the deploy module's parent). */
  static final Path ROOT = findRoot();

  static final Path DEPLOY = ROOT.resolve("deploy");
  static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  static final Path OBSERVABILITY = DEPLOY.resolve("observability");
  static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  static final Path DASHBOARD = OBSERVABILITY.resolve("grafana/dashboards/rumstream.json");
  static final Path RULES = OBSERVABILITY.resolve("prometheus/rules/rumstream-alerts.yml");
  static final Path PROMETHEUS_RULE = OBSERVABILITY.resolve("prometheus-rule.yaml");
  static final Path PROMETHEUS_CONFIG = OBSERVABILITY.resolve("prometheus/prometheus.yml");

  private Repo() {}

  private static Path findRoot() {
    Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    while (dir != null
        && !(Files.isDirectory(dir.resolve("deploy/kubernetes"))
            && Files.exists(dir.resolve("pom.xml")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "Cannot find the repository root (a directory with deploy/kubernetes) above "
              + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** The command of an external tool: the one the environment variable names, else the default. */
  static String tool(String variable, String defaultCommand) {
    String configured = System.getenv(variable);
    return configured == null || configured.isBlank() ? defaultCommand : configured;
  }

  static String read(Path file) {
    assertThat(file).as("expected file").isRegularFile();
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(read(file));
    } catch (IOException e) {
      throw new AssertionError(ROOT.relativize(file) + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(read(file));
    } catch (IOException e) {
      throw new AssertionError(ROOT.relativize(file) + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
