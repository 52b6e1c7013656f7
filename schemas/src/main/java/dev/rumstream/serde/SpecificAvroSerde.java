package dev.rumstream.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Confluent-wire Avro serde for generated classes. Configured with Confluent's keys, and named in
 * configuration the same way as Confluent's {@code
 * io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}, so either can be chosen without code
 * changes. Both halves share one caching registry client.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;
  private final boolean hasClient;

  /** For configuration by class name: reads whichever generated class the writer schema names. */
  public SpecificAvroSerde() {
    this.serializer = new AvroSerializer<>();
    this.deserializer = AvroDeserializer.specific(null);
    this.hasClient = false;
  }

  /** Bound to one generated class and an existing registry client. */
  public SpecificAvroSerde(Class<T> type, RegistryClient registry) {
    this.serializer = new AvroSerializer<>(registry);
    this.deserializer = AvroDeserializer.forClass(type, registry);
    this.hasClient = true;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (!hasClient) {
      RegistryClient shared = new RegistryClient(RegistryConfig.from(configs));
      serializer.use(shared);
      deserializer.use(shared);
    }
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
