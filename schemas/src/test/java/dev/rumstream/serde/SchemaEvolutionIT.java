package dev.rumstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.SampleRecords;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Schema evolution and the registry's refusals, across a real broker and registry. */
@ExtendWith(KafkaEnvironmentExtension.class)
class SchemaEvolutionIT {
  private static final Schema CURRENT = DeletionRequest.getClassSchema();
  private static final Schema OLDER = SchemaVariants.withoutField(CURRENT, "source");
  private static final Schema NEWER =
      SchemaVariants.withExtraField(CURRENT, "priority", "\"int\"", "0");

  @Test
  void oldAndNewReadersReadOldAndNewWritersOnOneTopic(TestEnvironment environment)
      throws Exception {
    String topic = environment.uniqueTopic("evolution");
    environment.createTopics(topic);
    RegistryClient registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));

    GenericRecord older = copy(OLDER);
    GenericRecord newer = copy(NEWER);
    newer.put("priority", 9);
    try (KafkaProducer<String, IndexedRecord> producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", environment.bootstrapServers()),
            new StringSerializer(),
            new AvroSerializer<>(registry))) {
      for (IndexedRecord record : List.of(older, SampleRecords.deletionRequest(), newer)) {
        producer.send(new ProducerRecord<>(topic, "fmnist-cnn", record)).get();
      }
    }
    assertThat(registry.latest(topic + "-value").version())
        .as("three versions registered, in order")
        .isEqualTo(3);

    List<ConsumerRecord<String, DeletionRequest>> current =
        environment.consume(topic, 3, AvroDeserializer.forClass(DeletionRequest.class, registry));
    assertThat(current)
        .extracting(ConsumerRecord::value)
        .extracting(DeletionRequest::getSource)
        .containsExactly(null, "privacy-portal", "privacy-portal");
    assertThat(current)
        .extracting(ConsumerRecord::value)
        .extracting(DeletionRequest::getExampleIds)
        .containsOnly(List.of(17L, 4711L, 59_999L));

    List<ConsumerRecord<String, GenericData.Record>> old =
        environment.consume(topic, 3, AvroDeserializer.generic(OLDER, registry));
    assertThat(old)
        .extracting(ConsumerRecord::value)
        .allSatisfy(record -> assertThat(record.getSchema()).isEqualTo(OLDER))
        .extracting(record -> record.get("subjectId").toString())
        .containsExactly("user-1042", "user-1042", "user-1042");
  }

  @Test
  void theRegistryRefusesAnIncompatibleSchemaWithItsReason(TestEnvironment environment) {
    String subject = environment.uniqueTopic("incompatible") + "-value";
    RegistryClient registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));
    registry.register(subject, CURRENT);
    Schema breaking = SchemaVariants.withExtraField(CURRENT, "tenant", "\"string\"", null);

    assertThatThrownBy(() -> registry.register(subject, breaking))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class, e -> assertThat(e.httpStatus()).isEqualTo(409))
        .hasMessageContaining(subject)
        .hasMessageContaining("incompatible schema (409)");
  }

  @Test
  void anUnknownSchemaIdIsRefusedWith40403(TestEnvironment environment) {
    RegistryClient registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));
    byte[] unknownId = {0, 0x7f, 0x00, 0x00, 0x01, 2};
    assertThatThrownBy(
            () ->
                AvroDeserializer.forClass(DeletionRequest.class, registry)
                    .deserialize("t", unknownId))
        .isInstanceOfSatisfying(
            SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
        .hasMessageContaining("schema id " + 0x7f000001);
  }

  private static GenericRecord copy(Schema schema) {
    DeletionRequest sample = SampleRecords.deletionRequest();
    GenericRecord record = new GenericData.Record(schema);
    record.put("requestId", sample.getRequestId());
    record.put("modelId", sample.getModelId());
    record.put("subjectId", sample.getSubjectId());
    record.put("exampleIds", sample.getExampleIds());
    record.put(
        "reason",
        new GenericData.EnumSymbol(schema.getField("reason").schema(), sample.getReason().name()));
    record.put("requestedAt", sample.getRequestedAt().toEpochMilli());
    record.put("deadline", sample.getDeadline().toEpochMilli());
    record.put("reference", sample.getReference());
    if (schema.getField("source") != null) {
      record.put("source", sample.getSource());
    }
    return record;
  }
}
