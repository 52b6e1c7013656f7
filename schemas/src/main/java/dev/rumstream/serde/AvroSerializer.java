package dev.rumstream.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format: magic byte 0, the writer schema's 4-byte
 * big-endian registry id, then the Avro binary body. Subjects follow TopicNameStrategy ({@code
 * <topic>-key} / {@code <topic>-value}).
 *
 * <p>With {@code auto.register.schemas} (default) the record's schema is registered; with {@code
 * use.latest.version} the record is written with the subject's latest schema (projected onto it by
 * Avro schema resolution when the two differ); with neither, the schema must already be registered.
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
  static final byte MAGIC_BYTE = 0;

  private RegistryClient registry;
  private boolean isKey;
  private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();

  /** For configuration by class name: the registry client is built in {@link #configure}. */
  public AvroSerializer() {}

  /**
   * With a shared registry client; {@link #configure} then only reads whether this serializes keys.
   */
  public AvroSerializer(RegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (registry == null) {
      registry = new RegistryClient(RegistryConfig.from(configs));
    }
  }

  /** Used by {@link SpecificAvroSerde} so its two halves share one client. */
  void use(RegistryClient shared) {
    if (registry == null) {
      registry = shared;
    }
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (registry == null) {
      throw new SerializationException(
          "AvroSerializer used before configure(): no schema registry is set");
    }
    String subject = subject(topic, isKey);
    RegistryConfig config = registry.config();
    Schema schema = record.getSchema();
    try {
      if (config.autoRegisterSchemas()) {
        return encode(registry.register(subject, schema), schema, record);
      }
      if (config.useLatestVersion()) {
        RegistryClient.RegisteredSchema latest = registry.latest(subject);
        if (sameSchema(latest.schema(), schema)) {
          return encode(latest.id(), schema, record);
        }
        return encode(latest.id(), latest.schema(), project(record, latest.schema()));
      }
      return encode(registry.lookup(subject, schema), schema, record);
    } catch (RegistryException e) {
      throw e;
    } catch (RuntimeException | IOException e) {
      throw new SerializationException(
          "Could not serialize a "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  private byte[] encode(int schemaId, Schema schema, Object record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC_BYTE);
    out.write(ByteBuffer.allocate(Integer.BYTES).putInt(schemaId).array());
    // Buffered: the direct encoder made a (synchronized) stream call for every field.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer(schema, record).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private DatumWriter<Object> writer(Schema schema, Object record) {
    if (record instanceof SpecificRecord specific) {
      // The generated class's own model carries its logical-type conversions (timestamps as
      // Instant).
      return specificWriters.computeIfAbsent(
          schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(specific.getClass())));
    }
    return genericWriters.computeIfAbsent(
        schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
  }

  /** Re-expresses a record under another (compatible) schema through Avro's schema resolution. */
  private Object project(IndexedRecord record, Schema target) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(body, null);
    writer(record.getSchema(), record).write(record, encoder);
    encoder.flush();
    return new GenericDatumReader<>(record.getSchema(), target, GenericData.get())
        .read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null));
  }

  private static boolean sameSchema(Schema a, Schema b) {
    return SchemaNormalization.parsingFingerprint64(a)
        == SchemaNormalization.parsingFingerprint64(b);
  }
}
