package dev.rumstream.streams.topology;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every record the topology fails on to the dead-letter topic and carries on: records that
 * cannot be deserialized (wrong magic byte, unknown schema id, garbage; stage {@value
 * #DESERIALIZATION}) and records whose processing threw (stage {@value #PROCESSING}). Rejected
 * requests are not failures: they reach the same topic through the topology ({@link
 * RejectedRequests}). The dead letter keeps the original key and value bytes and the original
 * headers, plus Kafka's standard error headers ({@code __streams.errors.*}: exception class,
 * message, stack trace, source topic, partition, offset) and rumstream's ({@code
 * rumstream.dlq.stage}, {@code rumstream.dlq.time}). It is written in the same transaction as the
 * task's other output, so nothing is lost or written twice.
 *
 * <p>Kafka Streams creates the handler from its class name, so it is configured through the Streams
 * properties: {@value #TOPIC_CONFIG} names the topic and {@value #METRICS_CONFIG} carries the
 * {@link DeletionMetrics} instance. That entry is the one way an object reaches a handler;
 * processors get their metrics through their constructors.
 */
public final class DeadLetters
    implements DeserializationExceptionHandler, ProcessingExceptionHandler {
  public static final String TOPIC_CONFIG = "rumstream.dlq.topic";
  public static final String METRICS_CONFIG = "rumstream.dlq.metrics";
  static final String DESERIALIZATION = "deserialization";
  static final String PROCESSING = "processing";
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private String topic;
  private DeletionMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    Object configured = configs.get(TOPIC_CONFIG);
    if (configured == null) {
      throw new IllegalStateException(TOPIC_CONFIG + " must name the dead-letter topic");
    }
    this.topic = configured.toString();
    this.metrics = (DeletionMetrics) configs.get(METRICS_CONFIG);
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    log.warn(
        "Dead-lettering an unreadable record from {}-{}@{}: {}",
        context.topic(),
        context.partition(),
        context.offset(),
        exception.getMessage());
    return DeserializationExceptionHandler.Response.resume(
        List.of(deadLetter(DESERIALIZATION, record.key(), record.value(), context, exception)));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    log.error(
        "Dead-lettering a record whose processing failed at {} ({}-{}@{})",
        context.processorNodeId(),
        context.topic(),
        context.partition(),
        context.offset(),
        exception);
    return ProcessingExceptionHandler.Response.resume(
        List.of(
            deadLetter(
                PROCESSING, context.sourceRawKey(), context.sourceRawValue(), context, exception)));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      String stage, byte[] key, byte[] value, ErrorHandlerContext context, Exception exception) {
    if (metrics != null) {
      metrics.deadLettered(stage);
    }
    Headers headers =
        headers(
            context.headers(),
            context.topic(),
            context.partition(),
            context.offset(),
            stage,
            String.valueOf(exception.getMessage()),
            Instant.now());
    header(headers, "__streams.errors.exception", exception.getClass().getName());
    header(headers, "__streams.errors.stacktrace", stackTrace(exception));
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  /**
   * The headers every dead letter carries: the original ones, where the record was read, why it was
   * dead-lettered and when.
   */
  static Headers headers(
      Headers original,
      String sourceTopic,
      int partition,
      long offset,
      String stage,
      String message,
      Instant time) {
    Headers headers =
        original == null ? new RecordHeaders() : new RecordHeaders(original.toArray());
    header(headers, "__streams.errors.message", message);
    header(headers, "__streams.errors.topic", sourceTopic);
    header(headers, "__streams.errors.partition", Integer.toString(partition));
    header(headers, "__streams.errors.offset", Long.toString(offset));
    header(headers, "rumstream.dlq.stage", stage);
    header(headers, "rumstream.dlq.time", time.toString());
    return headers;
  }

  static void header(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static String stackTrace(Exception exception) {
    StringWriter out = new StringWriter();
    exception.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
