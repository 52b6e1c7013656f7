package dev.rumstream.streams.topology;

import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns each {@link Rejection} into a dead letter: the original key, value and headers, the headers
 * of {@link DeadLetters#headers} with stage {@value #VALIDATION} and the reason as the message, and
 * {@code rumstream.dlq.rule} naming the broken rule. No exception was thrown, so there are no
 * exception or stack-trace headers.
 */
final class RejectedRequests implements Processor<String, Rejection, byte[], byte[]> {
  static final String VALIDATION = "validation";

  private final DeletionMetrics metrics;
  private ProcessorContext<byte[], byte[]> context;

  RejectedRequests(DeletionMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Rejection> record) {
    Rejection rejection = record.value();
    // Always present here: rejections come straight from the source topic's records.
    RecordMetadata source = context.recordMetadata().orElseThrow();
    Headers headers =
        DeadLetters.headers(
            record.headers(),
            source.topic(),
            source.partition(),
            source.offset(),
            VALIDATION,
            rejection.reason(),
            Instant.ofEpochMilli(context.currentSystemTimeMs()));
    DeadLetters.header(headers, "rumstream.dlq.rule", rejection.rule());
    context.forward(
        new Record<>(
            rejection.originalKey(), rejection.originalValue(), record.timestamp(), headers));
    metrics.deadLettered(VALIDATION);
  }
}
