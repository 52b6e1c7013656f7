package dev.rumstream.cli;

import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Sends one deletion request (for users and scripts). */
@Command(
    name = "request",
    mixinStandardHelpOptions = true,
    description = "Sends a deletion request to deletion-requests and prints its request id.")
final class SendRequest implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "The model to delete from.")
  String model;

  @Option(
      names = "--ids",
      required = true,
      split = ",",
      description = "Example ids, comma-separated.")
  List<Long> ids;

  @Option(
      names = "--subject",
      required = true,
      description = "The data subject the examples belong to.")
  String subject;

  @Option(
      names = "--reason",
      defaultValue = "GDPR_ERASURE",
      description = "One of ${COMPLETION-CANDIDATES}.")
  DeletionReason reason;

  @Option(names = "--request-id", description = "Idempotency key (default: a new UUID).")
  String requestId;

  @Option(names = "--deadline-days", description = "Days until the deletion must be complete.")
  Integer deadlineDays;

  @Mixin ClientOptions clientOptions;

  @Option(names = "--topic", description = "Topic (default: the catalogue's deletion-requests).")
  String topic;

  @Override
  public Integer call() throws Exception {
    Instant now = Instant.now();
    DeletionRequest request =
        DeletionRequest.newBuilder()
            .setRequestId(requestId == null ? UUID.randomUUID().toString() : requestId)
            .setModelId(model)
            .setSubjectId(subject)
            .setExampleIds(ids)
            .setReason(reason)
            .setRequestedAt(now)
            .setDeadline(deadlineDays == null ? null : now.plusSeconds(deadlineDays * 86_400L))
            .setReference(null)
            .setSource("rumstream-cli")
            .build();
    Map<String, Object> props = clientOptions.clients();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Topic<String, DeletionRequest> requests = Topic.DELETION_REQUESTS;
    String name = topic != null ? topic : requests.defaultName();
    try (KafkaProducer<String, DeletionRequest> producer =
        new KafkaProducer<>(
            props, requests.keySerde().serializer(), requests.valueSerde(props).serializer())) {
      producer
          .send(new ProducerRecord<>(name, Keys.request(model, request.getRequestId()), request))
          .get();
    }
    System.out.println(request.getRequestId());
    return 0;
  }
}
