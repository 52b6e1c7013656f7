package dev.rumstream.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka and Confluent's schema registry in Docker containers, on a shared network. Only where a
 * Docker engine exists; never part of CI's coverage here.
 */
public final class ContainerServices {
  static final String KAFKA_IMAGE = "apache/kafka:4.4.0";
  static final String SCHEMA_REGISTRY_IMAGE = "confluentinc/cp-schema-registry:8.1.0";
  private static final int REGISTRY_PORT = 8081;

  private ContainerServices() {}

  public static boolean isDockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  public static RunningServices start() {
    Network network = Network.newNetwork();
    KafkaContainer kafka =
        new KafkaContainer(KAFKA_IMAGE).withNetwork(network).withListener("kafka:19092");
    kafka.start();
    GenericContainer<?> registry =
        new GenericContainer<>(SCHEMA_REGISTRY_IMAGE)
            .withNetwork(network)
            .withExposedPorts(REGISTRY_PORT)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
    registry.start();
    String registryUrl =
        "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
    TestEnvironment environment =
        new TestEnvironment(
            TestEnvironment.Kind.TESTCONTAINERS, kafka.getBootstrapServers(), registryUrl);
    return new RunningServices(
        environment,
        () -> {
          registry.stop();
          kafka.stop();
          network.close();
        });
  }
}
