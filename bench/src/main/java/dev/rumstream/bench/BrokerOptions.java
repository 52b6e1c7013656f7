package dev.rumstream.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a benchmark on a real broker and registry (a picocli mixin). */
final class BrokerOptions {
  @Option(
      names = "--bootstrap-servers",
      defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description = "Kafka (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}",
      description =
          "Confluent-compatible registry (default: $SCHEMA_REGISTRY_URL or ${DEFAULT-VALUE}).")
  String registryUrl;

  @Option(
      names = "--state-dir",
      defaultValue = "bench/target/state",
      description = "Parent of the run's state directories, removed at the end (${DEFAULT-VALUE}).")
  Path stateParent;

  /** A run of its own on these services. */
  BrokerRun open(PrintStream out) {
    return new BrokerRun(bootstrapServers, registryUrl, stateParent, out);
  }

  /** The machine, the load averages and these services, for a results file. */
  Map<String, Object> machine(String loadBefore, String loadAfter) {
    Map<String, Object> machine = Machine.describe();
    machine.put("loadAverageBefore", loadBefore);
    machine.put("loadAverageAfter", loadAfter);
    machine.put("broker", bootstrapServers);
    machine.put("registry", registryUrl);
    return machine;
  }
}
