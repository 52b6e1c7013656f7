package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.state.OpenForgetSet;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;

/**
 * The value serdes of the topology, all of one configured class (rumstream's {@code
 * SpecificAvroSerde} by default, Confluent's works the same), configured with the application's
 * Kafka settings.
 */
public record ContractSerdes(
    Serde<DeletionRequest> requests,
    Serde<DeletionReceipt> receipts,
    Serde<MemorizationScore> scores,
    Serde<ModelVersion> modelVersions,
    Serde<ForgetSet> forgetSets,
    Serde<UnlearnJob> jobs,
    Serde<OpenForgetSet> openSets) {

  public static ContractSerdes of(String serdeClass, Map<String, Object> kafkaConfig) {
    return new ContractSerdes(
        create(serdeClass, kafkaConfig),
        create(serdeClass, kafkaConfig),
        create(serdeClass, kafkaConfig),
        create(serdeClass, kafkaConfig),
        create(serdeClass, kafkaConfig),
        create(serdeClass, kafkaConfig),
        create(serdeClass, kafkaConfig));
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> Serde<T> create(
      String serdeClass, Map<String, Object> kafkaConfig) {
    try {
      Serde<T> serde = Utils.newInstance(serdeClass, Serde.class);
      serde.configure(kafkaConfig, false);
      return serde;
    } catch (ClassNotFoundException e) {
      throw new KafkaException(
          "The configured value serde " + serdeClass + " is not on the classpath", e);
    }
  }
}
