package dev.rumstream.streams.topology;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.state.OutstandingRequest;
import dev.rumstream.avro.state.RequestHistory;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.topics.Topic;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The deletion topology: deletion-requests in; receipts, dead letters, forget sets and unlearning
 * jobs out.
 *
 * <pre>
 * deletion-requests ─▶ intake ─┬─▶ deletion-receipts (ACCEPTED / REJECTED)
 *   (unreadable ─▶ DLQ)       ├─▶ rejected-requests ─▶ deletion-requests-dlq
 *                             └─▶ forget-set-windows ─┬─▶ forget-sets
 *                                  ▲ scores, models     └─▶ unlearn-jobs (LOW, MEDIUM, HIGH)
 * memorization-scores, model-versions ─▶ global stores;  deletion-receipts ─▶ latest receipts (status queries)
 * </pre>
 *
 * <p>The global tables and the audit views are declared with the DSL; the flow and the latest
 * receipts are wired node by node, so that each processor sends every kind of output to its own
 * named, typed child ({@link Output}).
 */
public final class DeletionTopology {
  private static final String SOURCE = "deletion-requests";
  private static final String INTAKE = "intake";

  private DeletionTopology() {}

  public static Topology build(
      TopologyConfig config, ContractSerdes serdes, DeletionMetrics metrics) {
    Topology topology = tables(config, serdes).build();
    topology
        .addReadOnlyStateStore(
            Stores.timestampedKeyValueStoreBuilder(
                    Stores.persistentTimestampedKeyValueStore(StoreNames.RECEIPTS),
                    Serdes.String(),
                    Serdes.ByteArray())
                .withLoggingDisabled(),
            "deletion-receipts-source",
            new StringDeserializer(),
            new ByteArrayDeserializer(),
            config.topic(Topic.DELETION_RECEIPTS),
            "latest-receipts",
            LatestReceipts::new)
        .addSource(
            SOURCE,
            new StringDeserializer(),
            ReceivedRequest.deserializer(serdes.requests().deserializer()),
            config.topic(Topic.DELETION_REQUESTS))
        .addProcessor(INTAKE, () -> new Intake(config, metrics), SOURCE)
        .addProcessor(Intake.REJECTIONS.name(), () -> new RejectedRequests(metrics), INTAKE)
        .addProcessor(Intake.ACCEPTED.name(), () -> new ForgetSetWindows(config, metrics), INTAKE)
        .addSink(
            "deletion-requests-dlq",
            config.topic(Topic.DELETION_REQUESTS_DLQ),
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            Intake.REJECTIONS.name())
        .addStateStore(acceptedIds(config), INTAKE)
        .addStateStore(legacyAcceptedIds(config), INTAKE)
        .addStateStore(store(StoreNames.LEGACY_REQUEST_IDS, Serdes.Long()), INTAKE)
        .addStateStore(store(StoreNames.LEGACY_REQUEST_FINGERPRINTS, Serdes.String()), INTAKE)
        .addStateStore(
            store(StoreNames.OPEN_WINDOWS, StateSerdes.windows()), Intake.ACCEPTED.name())
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.GATHERED_REQUESTS),
                Serdes.String(),
                StateSerdes.requests()),
            Intake.ACCEPTED.name())
        .addStateStore(
            store(StoreNames.LEGACY_OPEN_FORGET_SETS, serdes.openSets()), Intake.ACCEPTED.name())
        .addStateStore(store(StoreNames.FORGET_SET_CLOCK, Serdes.Long()), Intake.ACCEPTED.name());
    String accepted = Intake.ACCEPTED.name();
    Intake.RECEIPTS.sink(
        topology, config.topic(Topic.DELETION_RECEIPTS), serdes.receipts(), INTAKE);
    ForgetSetWindows.FORGET_SETS.sink(
        topology, config.topic(Topic.FORGET_SETS), serdes.forgetSets(), accepted);
    ForgetSetWindows.JOBS.sink(topology, config.topic(Topic.UNLEARN_JOBS), serdes.jobs(), accepted);
    Intake.AUDIT.sink(topology, config.topic(Topic.DELETION_AUDIT), serdes.audit(), INTAKE);
    ForgetSetWindows.AUDIT.sink(
        topology, config.topic(Topic.DELETION_AUDIT), serdes.audit(), accepted);
    return topology;
  }

  /**
   * Cached, so that a value rewritten many times between commits is changelogged once. Not the
   * requests' entries: each is written once and deleted once, and in a thread cache kept full by
   * the audit views an entry was evicted, so changelogged, before its set closed anyway.
   */
  private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), values)
        .withCachingEnabled();
  }

  /**
   * Accepted request ids, each filed under the start of its dedup period (one retention long) and
   * kept two periods, so an id is remembered for at least the retention and found by a point read
   * in each of the two periods a lookup spans, where a range over exact times opened an iterator on
   * every segment for each new request. Expiry drops whole segments. Not cached: every key is new,
   * so a cache would merge nothing and only slow each lookup.
   */
  private static StoreBuilder<WindowStore<String, byte[]>> acceptedIds(TopologyConfig config) {
    Duration period = config.dedupRetention();
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(
            StoreNames.ACCEPTED_REQUEST_IDS, period.multipliedBy(2), period, false),
        Serdes.String(),
        Serdes.ByteArray());
  }

  /** The ids of the release before periods, by exact acceptance time, until they have moved. */
  private static StoreBuilder<WindowStore<String, byte[]>> legacyAcceptedIds(
      TopologyConfig config) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(
            StoreNames.LEGACY_ACCEPTED_REQUEST_IDS,
            config.dedupRetention(),
            Duration.ofMillis(1),
            false),
        Serdes.String(),
        Serdes.ByteArray());
  }

  /**
   * The global stores of scores and model versions, and the stores of status queries that the DSL
   * builds: every request's audit trail and whether it is outstanding.
   */
  private static StreamsBuilder tables(TopologyConfig config, ContractSerdes serdes) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.globalTable(
        config.topic(Topic.MEMORIZATION_SCORES),
        Consumed.with(Serdes.String(), serdes.scores()),
        Materialized.<String, MemorizationScore, KeyValueStore<Bytes, byte[]>>as(
            StoreNames.SCORES));
    builder.globalTable(
        config.topic(Topic.MODEL_VERSIONS),
        Consumed.with(Serdes.String(), serdes.modelVersions()),
        Materialized.<String, ModelVersion, KeyValueStore<Bytes, byte[]>>as(StoreNames.MODELS));
    KStream<String, byte[]> audit =
        builder.stream(
            config.topic(Topic.DELETION_AUDIT), Consumed.with(Serdes.String(), Serdes.ByteArray()));
    // Raw records, as the topic holds them: the history shows what an auditor would read there.
    audit
        .groupByKey(Grouped.with(Serdes.String(), Serdes.ByteArray()))
        .aggregate(
            () -> new RequestHistory(new ArrayList<>()),
            (requestId, record, history) -> {
              history.getRecords().add(ByteBuffer.wrap(record));
              return history;
            },
            Materialized.<String, RequestHistory, KeyValueStore<Bytes, byte[]>>as(
                    StoreNames.HISTORY)
                .withKeySerde(Serdes.String())
                .withValueSerde(serdes.histories()));
    Deserializer<AuditRecord> records = serdes.audit().deserializer();
    String auditTopic = config.topic(Topic.DELETION_AUDIT);
    audit
        .mapValues(bytes -> records.deserialize(auditTopic, bytes))
        .groupByKey(Grouped.with(Serdes.String(), serdes.audit()))
        .aggregate(
            () -> null,
            (requestId, record, outstanding) -> Outstanding.next(record, outstanding),
            Materialized.<String, OutstandingRequest, KeyValueStore<Bytes, byte[]>>as(
                    StoreNames.OUTSTANDING)
                .withKeySerde(Serdes.String())
                .withValueSerde(serdes.outstanding()));
    return builder;
  }
}
