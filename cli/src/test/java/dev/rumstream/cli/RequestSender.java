package dev.rumstream.cli;

import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.serde.AvroSerializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends deletion requests as a producer of a client system would: keyed by model, in order. */
final class RequestSender {
  private RequestSender() {}

  static void send(TestEnvironment environment, String topic, List<DeletionRequest> requests)
      throws Exception {
    AvroSerializer<DeletionRequest> serializer =
        new AvroSerializer<>(new RegistryClient(RegistryConfig.from(environment.clientConfig())));
    serializer.configure(Map.of(), false);
    try (KafkaProducer<String, DeletionRequest> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", environment.bootstrapServers()),
            new StringSerializer(),
            serializer)) {
      for (DeletionRequest request : requests) {
        producer.send(new ProducerRecord<>(topic, request.getModelId(), request)).get();
      }
    }
  }
}
