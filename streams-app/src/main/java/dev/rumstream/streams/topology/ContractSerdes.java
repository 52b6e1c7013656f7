package dev.rumstream.streams.topology;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.state.OpenForgetSet;
import dev.rumstream.avro.state.OutstandingRequest;
import dev.rumstream.avro.state.RequestHistory;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.topics.Topic;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The value serdes of the topology, from the topic catalogue: all of one configured class
 * (rumstream's {@code SpecificAvroSerde} by default, Confluent's works the same), configured with
 * the application's Kafka settings; the status stores' values in the compact internal format of
 * {@link StateSerdes}, reading the registry format that earlier releases wrote.
 */
public record ContractSerdes(
    Serde<DeletionRequest> requests,
    Serde<DeletionReceipt> receipts,
    Serde<MemorizationScore> scores,
    Serde<ModelVersion> modelVersions,
    Serde<ForgetSet> forgetSets,
    Serde<UnlearnJob> jobs,
    Serde<AuditRecord> audit,
    Serde<OpenForgetSet> openSets,
    Serde<RequestHistory> histories,
    Serde<OutstandingRequest> outstanding) {

  /**
   * The registry serde of internal state that earlier releases wrote in the registry's format (read
   * now, never written again): no contract, so the deploy step never registered its schemas, and a
   * write would register its own under the changelog's subject.
   */
  private static Map<String, Object> internalState(Map<String, Object> config) {
    Map<String, Object> state = new HashMap<>(config);
    state.put(RegistryConfig.AUTO_REGISTER_SCHEMAS, "true");
    return state;
  }

  public static ContractSerdes of(String serdeClass, Map<String, Object> kafkaConfig) {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(Topic.VALUE_SERDE_KEY, serdeClass);
    return new ContractSerdes(
        Topic.DELETION_REQUESTS.valueSerde(config),
        Topic.DELETION_RECEIPTS.valueSerde(config),
        Topic.MEMORIZATION_SCORES.valueSerde(config),
        Topic.MODEL_VERSIONS.valueSerde(config),
        Topic.FORGET_SETS.valueSerde(config),
        Topic.UNLEARN_JOBS.valueSerde(config),
        Topic.DELETION_AUDIT.valueSerde(config),
        Topic.avroSerde(internalState(config)),
        StateSerdes.histories(
            Topic.<RequestHistory>avroSerde(internalState(config)).deserializer()),
        StateSerdes.outstanding(
            Topic.<OutstandingRequest>avroSerde(internalState(config)).deserializer()));
  }
}
