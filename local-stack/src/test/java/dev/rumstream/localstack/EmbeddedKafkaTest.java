package dev.rumstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @TempDir static Path dataDir;

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    long started = System.nanoTime();
    kafka = EmbeddedKafka.start(dataDir);
    System.out.printf(
        "EmbeddedKafka.start took %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void startReturnsABrokerThatAnswersMetadataRequests() throws Exception {
    assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    try (Admin admin = admin()) {
      assertThat(admin.describeCluster().nodes().get(5, TimeUnit.SECONDS))
          .singleElement()
          .satisfies(node -> assertThat(node.id()).isEqualTo(1));
    }
  }

  @Test
  void producesAndConsumesOnACreatedTopic() throws Exception {
    String topic = "plain-strings";
    createTopic(topic);
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(topic, "key-1", "value-1")).get(30, TimeUnit.SECONDS);
    }

    List<ConsumerRecord<String, String>> records =
        consumeAtLeast(topic, "plain-group", "read_uncommitted", 1);

    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("key-1");
              assertThat(r.value()).isEqualTo("value-1");
            });
  }

  @Test
  void transactionalProducerCommitsAndAbortedRecordsStayInvisible() throws Exception {
    String topic = "transactional-strings";
    createTopic(topic);
    try (KafkaProducer<String, String> producer =
        producer(
            Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "local-stack-test-tx",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                30_000))) {
      producer.initTransactions();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "aborted"));
      producer.abortTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }

    List<ConsumerRecord<String, String>> records =
        consumeAtLeast(topic, "tx-group", "read_committed", 1);

    assertThat(records).extracting(ConsumerRecord::value).containsExactly("committed");
  }

  private static void createTopic(String topic) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
    Map<String, Object> config =
        new HashMap<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"));
    config.putAll(extra);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /**
   * Polls until {@code count} records arrived, then once more briefly to catch anything unexpected.
   */
  private static List<ConsumerRecord<String, String>> consumeAtLeast(
      String topic, String group, String isolation, int count) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation);
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(received::add);
    }
    return received;
  }
}
