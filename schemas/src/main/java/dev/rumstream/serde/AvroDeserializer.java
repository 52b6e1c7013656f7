package dev.rumstream.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format: magic byte 0, a 4-byte big-endian schema id, the Avro binary
 * body. The writer schema is fetched from the registry by id and resolved against the reader
 * schema, so an old reader reads a newer writer and a new reader an older one, as far as the two
 * are compatible.
 *
 * <p>Three modes: a given generated class (its schema is the reader schema); "specific" without a
 * class (the generated class named by the writer schema, as Confluent's {@code
 * specific.avro.reader=true}); or generic records under a given reader schema (or the writer's
 * own). A null payload is a tombstone and reads as null.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
  static final int HEADER_BYTES = 1 + Integer.BYTES;

  private RegistryClient registry;
  private Boolean specific;
  private final Class<? extends SpecificRecord> type;
  private final Schema readerSchema;
  private final Map<Integer, DatumReader<?>> readers = new ConcurrentHashMap<>();

  /**
   * For configuration by class name; {@code specific.avro.reader} chooses specific or generic
   * records.
   */
  public AvroDeserializer() {
    this(null, null, null, null);
  }

  private AvroDeserializer(
      RegistryClient registry,
      Boolean specific,
      Class<? extends SpecificRecord> type,
      Schema readerSchema) {
    this.registry = registry;
    this.specific = specific;
    this.type = type;
    this.readerSchema = readerSchema;
  }

  /** Reads records as the given generated class. */
  public static <R extends SpecificRecord> AvroDeserializer<R> forClass(
      Class<R> type, RegistryClient registry) {
    return new AvroDeserializer<>(registry, true, type, null);
  }

  /** Reads records as the generated class the writer schema names. */
  public static <R extends SpecificRecord> AvroDeserializer<R> specific(RegistryClient registry) {
    return new AvroDeserializer<>(registry, true, null, null);
  }

  /**
   * Reads generic records under the given reader schema, or the writer's schema when it is null.
   */
  public static AvroDeserializer<GenericData.Record> generic(
      Schema readerSchema, RegistryClient registry) {
    return new AvroDeserializer<>(registry, false, null, readerSchema);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new RegistryClient(RegistryConfig.from(configs));
    }
    if (specific == null) {
      specific = registry.config().specificAvroReader();
    }
  }

  /** Used by {@link SpecificAvroSerde} so its two halves share one client. */
  void use(RegistryClient shared) {
    if (registry == null) {
      registry = shared;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new SerializationException(
          "AvroDeserializer used before configure(): no schema registry is set");
    }
    if (data.length < HEADER_BYTES) {
      throw new SerializationException(
          "A record from topic '"
              + topic
              + "' is "
              + data.length
              + " bytes long: too short for the Confluent wire format (magic byte 0, 4-byte schema id, Avro body)");
    }
    if (data[0] != AvroSerializer.MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "Unknown magic byte 0x%02x in a record from topic '%s': "
                  + "not the Confluent wire format, which starts with 0x00",
              data[0], topic));
    }
    int schemaId = ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
    DatumReader<?> reader =
        readers.computeIfAbsent(schemaId, id -> readerFor(registry.schemaById(id), id));
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(data, HEADER_BYTES, data.length - HEADER_BYTES, null);
    try {
      Object value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "A record from topic '"
                + topic
                + "' has bytes left over after decoding "
                + "it with writer schema id "
                + schemaId
                + ": the body does not match its schema id");
      }
      return (T) value;
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | ClassCastException
        | NegativeArraySizeException e) {
      throw new SerializationException(
          "Could not decode a record from topic '"
              + topic
              + "' with writer schema id "
              + schemaId
              + ": "
              + e,
          e);
    }
  }

  private DatumReader<?> readerFor(Schema writer, int schemaId) {
    if (!Boolean.TRUE.equals(specific)) {
      return new GenericDatumReader<>(
          writer, readerSchema == null ? writer : readerSchema, GenericData.get());
    }
    Class<?> target = type != null ? type : generatedClassOf(writer, schemaId);
    SpecificData model = SpecificData.getForClass(target);
    return new SpecificDatumReader<>(writer, model.getSchema(target), model);
  }

  private static Class<?> generatedClassOf(Schema writer, int schemaId) {
    Class<?> found;
    try {
      found = SpecificData.get().getClass(writer);
    } catch (SecurityException e) {
      throw new SerializationException(
          "Avro refuses to load the generated class for "
              + writer.getFullName()
              + " (schema id "
              + schemaId
              + "): trust its package with -Dorg.apache.avro.SERIALIZABLE_PACKAGES="
              + writer.getNamespace(),
          e);
    }
    if (found == null || !SpecificRecord.class.isAssignableFrom(found)) {
      throw new SerializationException(
          "No generated Avro class "
              + writer.getFullName()
              + " on the classpath for "
              + "schema id "
              + schemaId
              + "; read it generically (specific.avro.reader=false) instead");
    }
    return found;
  }
}
