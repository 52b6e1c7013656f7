package dev.rumstream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka broker and schema registry an integration test talks to, whichever way they were
 * provided. Tests get one through {@link KafkaEnvironmentExtension}; every test class in the JVM
 * shares it.
 *
 * @param kind where the services came from
 * @param bootstrapServers the {@code bootstrap.servers} of the broker
 * @param schemaRegistryUrl the base URL of the schema registry
 */
public record TestEnvironment(Kind kind, String bootstrapServers, String schemaRegistryUrl) {

  /** Where the services came from, in the order the extension tries them. */
  public enum Kind {
    /**
     * Real processes named by KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL (CI, or a user's
     * compose stack).
     */
    EXTERNAL,
    /**
     * Docker containers of apache/kafka and confluentinc/cp-schema-registry, when asked for and
     * Docker exists.
     */
    TESTCONTAINERS,
    /** The in-JVM broker and registry of the local stack: the quick local loop only. */
    IN_JVM
  }

  /** Client settings every test needs: bootstrap servers and the registry URL (Confluent's key). */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put("schema.registry.url", schemaRegistryUrl);
    return config;
  }

  /** An idempotent producer to the broker, with String keys. */
  public <V> KafkaProducer<String, V> producer(Serializer<V> values) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        values);
  }

  /** A topic name no other test run on the same (possibly long-lived external) broker has used. */
  public String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates single-partition topics and waits until they exist. */
  public void createTopics(String... names) {
    createTopics(Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).toList());
  }

  public void createTopics(List<NewTopic> topics) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics " + topics, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Could not create topics " + topics + " on " + bootstrapServers, e);
    }
  }

  /**
   * Reads a topic from the beginning with a fresh consumer group until {@code count} records
   * arrived or {@link #patience()} ran out, and returns what arrived (tests assert on the size).
   */
  public <V> List<ConsumerRecord<String, V>> consume(
      String topic, int count, Deserializer<V> valueDeserializer) {
    return consume(topic, count, valueDeserializer, patience());
  }

  /** As {@link #consume(String, int, Deserializer)}, reading for at most {@code within}. */
  public <V> List<ConsumerRecord<String, V>> consume(
      String topic, int count, Deserializer<V> valueDeserializer, Duration within) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueTopic("test-reader"));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), valueDeserializer)) {
      consumer.subscribe(List.of(topic));
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** How long tests wait for records to arrive on this environment. */
  public Duration patience() {
    return Duration.ofSeconds(60);
  }

  @Override
  public String toString() {
    return kind + " (Kafka " + bootstrapServers + ", schema registry " + schemaRegistryUrl + ")";
  }
}
