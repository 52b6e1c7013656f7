package dev.rumstream.serde;

import dev.rumstream.testkit.ContainerServices;
import dev.rumstream.testkit.RunningServices;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same round trip against Confluent's own schema registry and Apache Kafka's image. Runs only
 * where a Docker engine exists (skipped, and never counted as coverage, on machines without one).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContractsOnContainersIT {

  @Test
  void everyContractRoundTripsThroughConfluentsRegistry() throws Exception {
    try (RunningServices services = ContainerServices.start()) {
      ContractsRoundTrip.run(services.environment());
    }
  }
}
