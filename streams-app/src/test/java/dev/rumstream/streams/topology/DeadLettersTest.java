package dev.rumstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import dev.rumstream.localstack.EmbeddedSchemaRegistry;
import dev.rumstream.serde.SpecificAvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeadLettersTest {

  static Stream<Arguments> unreadable() {
    return Stream.of(
        Arguments.of(
            "wrong magic byte", new byte[] {1, 0, 0, 0, 1, 2, 3}, "Unknown magic byte 0x01"),
        Arguments.of("unknown schema id", new byte[] {0, 0, 0, 0x30, 0x39, 2, 3}, "40403"),
        Arguments.of(
            "garbage",
            "not avro at all".getBytes(StandardCharsets.UTF_8),
            "Unknown magic byte 0x6e"),
        Arguments.of("truncated", new byte[] {0, 0}, "too short"));
  }

  record Context(
      String topic,
      int partition,
      long offset,
      Headers headers,
      String processorNodeId,
      TaskId taskId,
      long timestamp,
      byte[] sourceRawKey,
      byte[] sourceRawValue)
      implements ErrorHandlerContext {}

  @ParameterizedTest
  @MethodSource("unreadable")
  void anUnreadableRecordBecomesADeadLetterWithItsBytesAndTheReason(
      String what, byte[] bytes, String reason) {
    Exception failure;
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
      SpecificAvroSerde<?> serde = new SpecificAvroSerde<>();
      serde.configure(
          Map.of("schema.registry.url", registry.url(), "schema.registry.max.retries", "0"), false);
      failure = catchException(() -> serde.deserializer().deserialize("deletion-requests", bytes));
    }
    assertThat(failure).as(what).hasMessageContaining(reason);

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DeadLetters handler = new DeadLetters();
    handler.configure(
        Map.of(
            DeadLetters.TOPIC_CONFIG,
            "deletion-requests-dlq",
            DeadLetters.METRICS_CONFIG,
            new DeletionMetrics(meters, () -> 0L)));
    Headers original = new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
    byte[] key = "fmnist".getBytes(StandardCharsets.UTF_8);
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("deletion-requests", 2, 41L, key, bytes);
    var response =
        handler.handleError(
            new Context(
                "deletion-requests",
                2,
                41L,
                original,
                "deletion-requests",
                new TaskId(0, 2),
                0L,
                key,
                bytes),
            record,
            failure);

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).hasSize(1);
    ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
    assertThat(dead.topic()).isEqualTo("deletion-requests-dlq");
    assertThat(dead.key()).isEqualTo(key);
    assertThat(dead.value()).isEqualTo(bytes);
    assertThat(header(dead, "trace-id")).isEqualTo("abc");
    assertThat(header(dead, "__streams.errors.exception")).isEqualTo(failure.getClass().getName());
    assertThat(header(dead, "__streams.errors.message")).contains(reason);
    assertThat(header(dead, "__streams.errors.topic")).isEqualTo("deletion-requests");
    assertThat(header(dead, "__streams.errors.partition")).isEqualTo("2");
    assertThat(header(dead, "__streams.errors.offset")).isEqualTo("41");
    assertThat(header(dead, "rumstream.dlq.stage")).isEqualTo("deserialization");
    assertThat(meters.counter("rumstream.dead.letters", "stage", "deserialization").count())
        .isEqualTo(1);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    assertThat(header).as("header %s", name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
