package dev.rumstream.serde;

import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaEnvironmentExtension.class)
class ContractsRoundTripIT {

  @Test
  void everyContractRoundTripsThroughTheBrokerAndTheRegistry(TestEnvironment environment)
      throws Exception {
    ContractsRoundTrip.run(environment);
  }
}
