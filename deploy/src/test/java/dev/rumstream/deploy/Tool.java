package dev.rumstream.deploy;

import java.io.IOException;
import java.util.List;

/**
 * An external tool the tests run; a missing one fails the test with how to install it rather than
 * with a bare IOException.
 */
record Tool(String variable, String name, String neededFor, String install) {
  static final Tool PROMTOOL =
      new Tool(
          "PROMTOOL",
          "promtool",
          "check the alert rules",
          "Debian: apt-get install prometheus; .ci/run installs it");
  static final Tool KUBECTL =
      new Tool(
          "KUBECTL",
          "kubectl",
          "render the manifests",
          "Debian: apt-get install kubernetes-client, or the kubectl "
              + "package of Kubernetes' apt repository; .ci/run installs it");

  static final Tool AMTOOL =
      new Tool(
          "AMTOOL",
          "amtool",
          "check the Alertmanager configuration",
          "Debian: apt-get install prometheus-alertmanager; .ci/run installs it");

  static final Tool DOCKER_COMPOSE =
      new Tool(
          "DOCKER_COMPOSE",
          "docker-compose",
          "validate docker-compose.yml without a Docker engine",
          "Debian: apt-get install docker-compose; .ci/run installs it");

  String command() {
    return Repo.tool(variable, name);
  }

  /** Starts {@code command}, whose first word is this tool's command. */
  Process start(List<String> command, boolean mergeErrors) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(mergeErrors).start();
    } catch (IOException e) {
      throw new AssertionError(
          name
              + " is needed to "
              + neededFor
              + " and was not found ('"
              + command.get(0)
              + "': "
              + e.getMessage()
              + "). Install it ("
              + install
              + ") or point $"
              + variable
              + " at one.",
          e);
    }
  }
}
