package dev.rumstream.cli;

import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.UnlearningAlgorithm;
import dev.rumstream.topics.Topic;
import dev.rumstream.worker.WorkerConfig;
import java.time.Instant;
import java.util.HashMap;
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

/**
 * An operator's retrain from scratch: a RETRAIN job on {@code unlearn-jobs}, so it runs in order
 * with the model's other jobs, on the worker that owns them.
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    description = {
      "Asks the workers to retrain a model from scratch without every example deleted from it (the"
          + " whole retain set, version 0's recipe, fresh memorization scores). The retrain is a"
          + " job on unlearn-jobs: it runs after the model's queued jobs, its version is promoted,"
          + " and every older version is purged.",
      "Reads the worker's configuration (--config FILE and RUMSTREAM_* / KAFKA_* /"
          + " SCHEMA_REGISTRY_URL) for the Kafka and registry clients and the topic names."
    })
final class Retrain implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "The model's id.")
  String modelId;

  @Mixin WorkerOptions workerOptions;

  @Override
  public Integer call() throws Exception {
    WorkerConfig worker = workerOptions.load();
    String id = "retrain-" + UUID.randomUUID();
    UnlearnJob job =
        UnlearnJob.newBuilder()
            .setJobId(id + "-0")
            .setForgetSetId(id)
            .setModelId(modelId)
            .setIndex(0)
            .setJobCount(1)
            .setLevel(MemorizationLevel.HIGH)
            .setAlgorithm(UnlearningAlgorithm.RETRAIN)
            .setHyperParameters(Map.of())
            .setExampleIds(List.of())
            .setRequestIds(List.of())
            .setCreatedAt(Instant.now())
            .setDeadline(null)
            .build();
    Map<String, Object> props = new HashMap<>(worker.kafka());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Topic<String, UnlearnJob> jobs = Topic.UNLEARN_JOBS;
    try (KafkaProducer<String, UnlearnJob> producer =
        new KafkaProducer<>(
            props, jobs.keySerde().serializer(), jobs.valueSerde(props).serializer())) {
      producer.send(new ProducerRecord<>(worker.topic(jobs), modelId, job)).get();
    }
    System.out.println(job.getJobId());
    return 0;
  }
}
