package dev.rumstream.worker;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The worker's Kafka client settings: its configured ones plus what each client must have. */
final class Clients {
  private Clients() {}

  /** Jobs one at a time, committed only with the transaction that finishes each. */
  static Map<String, Object> jobConsumer(WorkerConfig config) {
    Map<String, Object> props = new HashMap<>(config.kafka());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "rumstream-worker");
    return props;
  }

  /** A group-less reader of committed records (the model-versions announcements). */
  static Map<String, Object> reader(WorkerConfig config) {
    Map<String, Object> props = new HashMap<>(config.kafka());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  static Map<String, Object> transactionalProducer(WorkerConfig config) {
    Map<String, Object> props = new HashMap<>(config.kafka());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config));
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }

  static String transactionalId(WorkerConfig config) {
    return "rumstream-worker-" + config.workerId();
  }
}
