package dev.rumstream.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.SampleRecords;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Topic;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends one record of every contract through a broker and a registry with the serde configured by
 * class name, as an application would, and reads it back. Shared by the tests of each test
 * environment.
 */
final class ContractsRoundTrip {
  private ContractsRoundTrip() {}

  static void run(TestEnvironment environment) throws Exception {
    List<SpecificRecord> samples = SampleRecords.oneOfEach();
    List<Topic<?, ?>> topics = Topic.all().stream().filter(t -> t.valueType().isPresent()).toList();
    Map<Topic<?, ?>, String> names = new HashMap<>();
    topics.forEach(topic -> names.put(topic, environment.uniqueTopic(topic.defaultName())));
    environment.createTopics(names.values().toArray(String[]::new));

    Map<String, Object> producerConfig = environment.clientConfig();
    producerConfig.put(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producerConfig.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerConfig)) {
      for (int i = 0; i < topics.size(); i++) {
        assertThat(topics.get(i).valueType()).contains(samples.get(i).getClass());
        producer
            .send(new ProducerRecord<>(names.get(topics.get(i)), "fmnist-cnn", samples.get(i)))
            .get();
      }
    }

    Map<String, Object> readerConfig = environment.clientConfig();
    readerConfig.put(RegistryConfig.SPECIFIC_AVRO_READER, "true");
    RegistryClient registry = new RegistryClient(RegistryConfig.from(readerConfig));
    for (int i = 0; i < topics.size(); i++) {
      String topic = names.get(topics.get(i));
      List<ConsumerRecord<String, byte[]>> raw =
          environment.consume(topic, 1, new ByteArrayDeserializer());
      assertThat(raw).as("records on %s", topic).hasSize(1);
      byte[] bytes = raw.get(0).value();
      int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
      assertThat(bytes[0]).isZero();
      assertThat(registry.latest(AvroSerializer.subject(topic, false)).id())
          .as("the registry holds the writer schema under %s-value", topic)
          .isEqualTo(schemaId);

      AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
      deserializer.configure(readerConfig, false);
      assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(samples.get(i));
    }
  }
}
