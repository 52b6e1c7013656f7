package dev.rumstream.topics;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.serde.SpecificAvroSerde;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;

/**
 * The topic catalogue (DESIGN.md, "Topics and contracts"): every topic once, with the setting that
 * names it, its default name, its cleanup policy and the serdes of its keys and values. Both
 * applications, the commands, the deployments' tests and every test take topics from here.
 *
 * @param <K> the record key type (a plain UTF-8 string everywhere but the dead-letter topic)
 * @param <V> the record value type (an Avro contract everywhere but the dead-letter topic)
 */
public final class Topic<K, V> {
  public static final Topic<String, DeletionRequest> DELETION_REQUESTS =
      avro("deletion.requests", DeletionRequest.class, CleanupPolicy.DELETE);

  /** Keeps a rejected record's original key and value bytes, so its type is bytes. */
  public static final Topic<byte[], byte[]> DELETION_REQUESTS_DLQ =
      new Topic<>("deletion.requests.dlq", null, CleanupPolicy.DELETE, Serdes.ByteArray());

  public static final Topic<String, MemorizationScore> MEMORIZATION_SCORES =
      avro("memorization.scores", MemorizationScore.class, CleanupPolicy.COMPACT);
  public static final Topic<String, ForgetSet> FORGET_SETS =
      avro("forget.sets", ForgetSet.class, CleanupPolicy.DELETE);
  public static final Topic<String, UnlearnJob> UNLEARN_JOBS =
      avro("unlearn.jobs", UnlearnJob.class, CleanupPolicy.DELETE);
  public static final Topic<String, ModelVersion> MODEL_VERSIONS =
      avro("model.versions", ModelVersion.class, CleanupPolicy.DELETE);
  public static final Topic<String, UnlearningMetrics> UNLEARNING_METRICS =
      avro("unlearning.metrics", UnlearningMetrics.class, CleanupPolicy.DELETE);
  public static final Topic<String, DeletionReceipt> DELETION_RECEIPTS =
      avro("deletion.receipts", DeletionReceipt.class, CleanupPolicy.COMPACT);

  /** Append-only: every transition of every request, chained per request by HMAC. */
  public static final Topic<String, AuditRecord> DELETION_AUDIT =
      avro("deletion.audit", AuditRecord.class, CleanupPolicy.DELETE);

  private static final List<Topic<?, ?>> ALL =
      List.of(
          DELETION_REQUESTS,
          DELETION_REQUESTS_DLQ,
          MEMORIZATION_SCORES,
          FORGET_SETS,
          UNLEARN_JOBS,
          MODEL_VERSIONS,
          UNLEARNING_METRICS,
          DELETION_RECEIPTS,
          DELETION_AUDIT);

  /** The setting that names the value serde class of every Avro topic. */
  public static final String VALUE_SERDE_KEY = "rumstream.value.serde";

  /** Kafka's {@code cleanup.policy} values the topics use. */
  public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
      this.configValue = configValue;
    }

    public String configValue() {
      return configValue;
    }
  }

  private final String id;
  private final String defaultName;
  private final Class<V> valueType;
  private final CleanupPolicy cleanupPolicy;
  private final Serde<K> keySerde;

  private Topic(String id, Class<V> valueType, CleanupPolicy cleanupPolicy, Serde<K> keySerde) {
    this.id = id;
    // Every topic's default name is its id with dashes for dots.
    this.defaultName = id.replace('.', '-');
    this.valueType = valueType;
    this.cleanupPolicy = cleanupPolicy;
    this.keySerde = keySerde;
  }

  private static <V extends SpecificRecord> Topic<String, V> avro(
      String id, Class<V> valueType, CleanupPolicy cleanupPolicy) {
    return new Topic<>(id, valueType, cleanupPolicy, Serdes.String());
  }

  /** Every topic of the system, in DESIGN.md's order. */
  public static List<Topic<?, ?>> all() {
    return ALL;
  }

  /** The setting that renames this topic, e.g. {@code rumstream.topic.deletion.requests}. */
  public String nameKey() {
    return "rumstream.topic." + id;
  }

  public String defaultName() {
    return defaultName;
  }

  /** The name this topic has under the given settings ({@link #nameKey()}), or its default. */
  public String name(Map<String, ?> settings) {
    Object name = settings.get(nameKey());
    return name == null || name.toString().isBlank() ? defaultName : name.toString();
  }

  /** The Avro contract of the values; empty for the dead-letter topic, which keeps raw bytes. */
  public Optional<Class<? extends SpecificRecord>> valueType() {
    return Optional.ofNullable(valueType).map(type -> type.asSubclass(SpecificRecord.class));
  }

  public CleanupPolicy cleanupPolicy() {
    return cleanupPolicy;
  }

  /** Record keys: plain UTF-8 strings (bytes on the dead-letter topic), never Avro. */
  public Serde<K> keySerde() {
    return keySerde;
  }

  /**
   * The value serde, configured with the clients' settings: of the class named by {@value
   * #VALUE_SERDE_KEY} when the settings name one (Confluent's {@code SpecificAvroSerde} works the
   * same as ours), else rumstream's {@link SpecificAvroSerde}; raw bytes for the dead-letter topic.
   */
  @SuppressWarnings("unchecked")
  public Serde<V> valueSerde(Map<String, ?> clientSettings) {
    return valueType == null ? (Serde<V>) Serdes.ByteArray() : avroSerde(clientSettings);
  }

  /**
   * An Avro serde of the class {@value #VALUE_SERDE_KEY} names (rumstream's {@link
   * SpecificAvroSerde} when none), configured with the clients' settings: what every topic value
   * and every Avro state store uses.
   */
  @SuppressWarnings("unchecked")
  public static <T> Serde<T> avroSerde(Map<String, ?> clientSettings) {
    Object serdeClass = clientSettings.get(VALUE_SERDE_KEY);
    Serde<T> serde;
    if (serdeClass == null || serdeClass.toString().isBlank()) {
      serde = (Serde<T>) new SpecificAvroSerde<>();
    } else {
      try {
        serde = Utils.newInstance(serdeClass.toString(), Serde.class);
      } catch (ClassNotFoundException e) {
        throw new KafkaException(
            "The configured value serde " + serdeClass + " is not on the classpath", e);
      }
    }
    serde.configure(clientSettings, false);
    return serde;
  }

  @Override
  public String toString() {
    return id.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
