package dev.rumstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.SampleRecords;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.localstack.EmbeddedSchemaRegistry;
import dev.rumstream.localstack.RegistryTestHook;
import dev.rumstream.localstack.RegistryTestHook.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {
  private static final String TOPIC = "deletion-requests";

  private final RegistryTestHook hook = new RegistryTestHook();
  private final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, hook);

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  private static Map<String, Object> config(String url, Object... more) {
    Map<String, Object> config = new HashMap<>();
    config.put(RegistryConfig.SCHEMA_REGISTRY_URL, url);
    config.put(RegistryConfig.RETRY_BACKOFF_MS, "10");
    for (int i = 0; i < more.length; i += 2) {
      config.put((String) more[i], more[i + 1]);
    }
    return config;
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> serde(
      Class<T> type, Map<String, Object> config) {
    SpecificAvroSerde<T> serde =
        new SpecificAvroSerde<>(type, new RegistryClient(RegistryConfig.from(config)));
    serde.configure(config, false);
    return serde;
  }

  /** A DeletionRequest serde on this test's registry, with more settings as key-value pairs. */
  private Serde<DeletionRequest> deletionRequests(Object... more) {
    return serde(DeletionRequest.class, config(registry.url(), more));
  }

  @Test
  void writesTheDocumentedWireFormat() throws IOException {
    String schemaJson = ScoreDistribution.getClassSchema().toString();
    // The golden bytes carry id 42, which a fresh registry would not hand out.
    hook.answer("POST", "/subjects/golden-value/versions", Answer.ok("{\"id\":42}"));
    hook.answer(
        "GET",
        "/schemas/ids/42",
        Answer.ok(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode()
                .put("schema", schemaJson)
                .toString()));
    ScoreDistribution record = new ScoreDistribution(3L, 0.25, 0.5, 1.0);
    // magic 0x00 | schema id 42 as a 4-byte big-endian int | Avro binary: long 3 as zig-zag
    // varint 0x06, then
    // three IEEE-754 doubles, little-endian: 0.25 = 0x3FD0..., 0.5 = 0x3FE0..., 1.0 = 0x3FF0...
    byte[] golden =
        HexFormat.of()
            .parseHex(
                "00"
                    + "0000002a"
                    + "06"
                    + "000000000000d03f"
                    + "000000000000e03f"
                    + "000000000000f03f");

    byte[] written =
        serde(ScoreDistribution.class, config(registry.url()))
            .serializer()
            .serialize("golden", record);
    assertThat(HexFormat.of().formatHex(written)).isEqualTo(HexFormat.of().formatHex(golden));

    // A fresh deserializer must fetch the writer schema by id 42 from the registry to read the
    // golden bytes.
    Serde<ScoreDistribution> reader = serde(ScoreDistribution.class, config(registry.url()));
    assertThat(reader.deserializer().deserialize("golden", golden)).isEqualTo(record);
    assertThat(hook.requests())
        .extracting(RegistryTestHook.Request::path)
        .containsExactly("/subjects/golden-value/versions", "/schemas/ids/42");
  }

  static Stream<SpecificRecord> contracts() {
    return SampleRecords.oneOfEach().stream();
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void everyContractRoundTrips(SpecificRecord record) throws IOException {
    @SuppressWarnings("unchecked")
    Class<SpecificRecord> type = (Class<SpecificRecord>) record.getClass();
    Serde<SpecificRecord> serde = serde(type, config(registry.url()));
    byte[] bytes = serde.serializer().serialize(TOPIC, record);
    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(record);
  }

  @Test
  void aSerdeNamedInConfigurationIsBuiltAndConfiguredByClassName() throws IOException {
    try {
      @SuppressWarnings("unchecked")
      Serde<SpecificRecord> serde =
          Utils.newInstance("dev.rumstream.serde.SpecificAvroSerde", Serde.class);
      serde.configure(config(registry.url()), false);
      DeletionRequest request = SampleRecords.deletionRequest();
      byte[] bytes = serde.serializer().serialize(TOPIC, request);
      // Without a class given, the reader picks the generated class the writer schema names.
      assertThat(serde.deserializer().deserialize(TOPIC, bytes))
          .isInstanceOf(DeletionRequest.class)
          .isEqualTo(request);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void nullIsATombstoneBothWays() throws IOException {
    Serde<DeletionRequest> serde = deletionRequests();
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(hook.requests()).isEmpty();
  }

  @Test
  void anUnknownMagicByteIsNamed() throws IOException {
    Serde<DeletionRequest> serde = deletionRequests();
    assertThatThrownBy(
            () -> serde.deserializer().deserialize(TOPIC, new byte[] {1, 0, 0, 0, 1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x01")
        .hasMessageContaining(TOPIC);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 bytes long");
    assertThat(hook.requests()).isEmpty();
  }

  @Test
  void anUnknownSchemaIdIsReportedWithTheRegistrysCode() throws IOException {
    Serde<DeletionRequest> serde = deletionRequests();
    assertThatThrownBy(
            () -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 0, 3, (byte) 0xd1, 2}))
        .isInstanceOfSatisfying(
            SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
        .hasMessageContaining("Schema 977 not found")
        .hasMessageContaining("read schema id 977");
  }

  @Test
  void anUnreachableRegistryIsRetriedWithBackoffThenNamed() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;
    Serde<DeletionRequest> serde =
        serde(
            DeletionRequest.class,
            config(url, RegistryConfig.MAX_RETRIES, "2", RegistryConfig.RETRY_BACKOFF_MS, "50"));
    long started = System.nanoTime();
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.deletionRequest()))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("after 3 attempts");
    // Two backoffs, 50 ms then 100 ms, lie between the three attempts.
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(150);
  }

  @Test
  void serverErrorsAreRetriedAndCountedAsUnavailable() throws IOException {
    hook.answer("POST", "/subjects/deletion-requests-value/versions", new Answer(503, "{}"));
    Serde<DeletionRequest> serde = deletionRequests(RegistryConfig.MAX_RETRIES, "3");
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.deletionRequest()))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("HTTP 503");
    assertThat(hook.requests()).hasSize(4);
  }

  @Test
  void anIncompatibleSchemaCarriesTheRegistrysMessage() throws IOException {
    String message =
        "Schema being registered is incompatible with an earlier schema for subject "
            + "\"deletion-requests-value\"";
    hook.answerNext(1, Answer.error(409, 409, message));
    Serde<DeletionRequest> serde = deletionRequests();
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.deletionRequest()))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("incompatible schema (409)")
        .hasMessageContaining(
            "incompatible with an earlier schema for subject \"deletion-requests-value\"");
    assertThat(hook.requests())
        .as("the registration, then a look-up: a lost registration race is no incompatibility")
        .hasSize(2);
  }

  @Test
  void basicAuthUserInfoIsSentAsABasicAuthorizationHeader() throws IOException {
    Serde<DeletionRequest> serde =
        deletionRequests(RegistryConfig.BASIC_AUTH_USER_INFO, "alice:s3cret");
    serde.serializer().serialize(TOPIC, SampleRecords.deletionRequest());
    assertThat(hook.requests())
        .extracting(RegistryTestHook.Request::authorization)
        .containsExactly("Basic YWxpY2U6czNjcmV0");
  }

  @Test
  void schemasAndIdsAreCachedAfterTheFirstCall() throws IOException {
    Serde<DeletionRequest> writer = deletionRequests();
    Serde<DeletionRequest> reader = deletionRequests();
    for (int i = 0; i < 5; i++) {
      reader
          .deserializer()
          .deserialize(
              TOPIC, writer.serializer().serialize(TOPIC, SampleRecords.deletionRequest()));
    }
    assertThat(hook.requests())
        .extracting(RegistryTestHook.Request::path)
        .containsExactly("/subjects/deletion-requests-value/versions", "/schemas/ids/1");
  }

  @Test
  void withoutAutoRegistrationTheSchemaMustAlreadyBeRegistered() throws IOException {
    Serde<DeletionRequest> serde = deletionRequests(RegistryConfig.AUTO_REGISTER_SCHEMAS, "false");
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.deletionRequest()))
        .isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("look up a schema under subject 'deletion-requests-value'");
    assertThat(hook.requests())
        .extracting(RegistryTestHook.Request::method, RegistryTestHook.Request::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", "/subjects/deletion-requests-value"));
  }

  @Test
  void useLatestVersionWritesWithTheSubjectsLatestSchema() throws IOException {
    Schema newer =
        SchemaVariants.withExtraField(DeletionRequest.getClassSchema(), "priority", "\"int\"", "5");
    RegistryClient client = new RegistryClient(RegistryConfig.forUrl(registry.url()));
    int newerId = client.register("deletion-requests-value", newer);
    Serde<DeletionRequest> serde =
        deletionRequests(
            RegistryConfig.AUTO_REGISTER_SCHEMAS,
            "false",
            RegistryConfig.USE_LATEST_VERSION,
            "true");

    byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.deletionRequest());

    assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(newerId);
    GenericRecord asWritten = AvroDeserializer.generic(null, client).deserialize(TOPIC, bytes);
    assertThat(asWritten.get("priority")).isEqualTo(5);
    assertThat(asWritten.get("requestId").toString()).isEqualTo("req-7f3a");
    assertThat(serde.deserializer().deserialize(TOPIC, bytes))
        .isEqualTo(SampleRecords.deletionRequest());
  }

  @Test
  void anOldReaderReadsANewerWriterAndANewReaderAnOlderOne() throws IOException {
    Schema current = DeletionRequest.getClassSchema();
    Schema older = SchemaVariants.withoutField(current, "source");
    Schema newer = SchemaVariants.withExtraField(current, "priority", "\"int\"", "0");
    RegistryClient client = new RegistryClient(RegistryConfig.forUrl(registry.url()));
    AvroSerializer<GenericRecord> genericWriter = new AvroSerializer<>(client);
    genericWriter.configure(Map.of(), false);
    AvroDeserializer<DeletionRequest> currentReader =
        AvroDeserializer.forClass(DeletionRequest.class, client);

    GenericRecord fromOlder = genericCopy(SampleRecords.deletionRequest(), older);
    DeletionRequest readNew =
        currentReader.deserialize(TOPIC, genericWriter.serialize(TOPIC, fromOlder));
    assertThat(readNew.getSource()).as("a field the old writer lacked takes its default").isNull();
    assertThat(readNew.getRequestId()).isEqualTo("req-7f3a");

    GenericRecord fromNewer = genericCopy(SampleRecords.deletionRequest(), newer);
    fromNewer.put("priority", 9);
    DeletionRequest readCurrent =
        currentReader.deserialize(TOPIC, genericWriter.serialize(TOPIC, fromNewer));
    assertThat(readCurrent).isEqualTo(SampleRecords.deletionRequest());

    byte[] currentBytes =
        new AvroSerializer<DeletionRequest>(client)
            .serialize(TOPIC, SampleRecords.deletionRequest());
    GenericRecord readOld =
        AvroDeserializer.generic(older, client).deserialize(TOPIC, currentBytes);
    assertThat(readOld.getSchema().getField("source"))
        .as("the old reader never sees the new field")
        .isNull();
    assertThat(readOld.get("subjectId").toString()).isEqualTo("user-1042");
  }

  @Test
  void aBodyThatDoesNotMatchItsSchemaIsRefused() throws IOException {
    Serde<DeletionRequest> serde = deletionRequests();
    byte[] valid = serde.serializer().serialize(TOPIC, SampleRecords.deletionRequest());
    byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 3);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("bytes left over");
    byte[] garbage = java.util.Arrays.copyOf(valid, 12);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, garbage))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("writer schema id 1");
  }

  @Test
  void aMissingRegistryUrlIsAConfigurationError() {
    assertThatThrownBy(() -> new SpecificAvroSerde<DeletionRequest>().configure(Map.of(), false))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  private static GenericRecord genericCopy(SpecificRecord record, Schema schema) {
    GenericRecord copy = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Schema.Field source = record.getSchema().getField(field.name());
      if (source != null) {
        Object value = record.get(source.pos());
        copy.put(
            field.name(),
            value instanceof java.time.Instant instant
                ? instant.toEpochMilli()
                : value instanceof Enum<?> symbol
                    ? new GenericData.EnumSymbol(field.schema(), symbol.name())
                    : value);
      }
    }
    return copy;
  }
}
