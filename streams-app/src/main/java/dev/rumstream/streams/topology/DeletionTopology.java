package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.topics.Topic;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The deletion topology: deletion-requests in; receipts, forget sets and unlearning jobs out.
 *
 * <pre>
 * deletion-requests ─▶ intake ─┬─▶ deletion-receipts (ACCEPTED / REJECTED)
 *   (bad records ─▶ DLQ)      └─▶ forget-set-windows ─┬─▶ forget-sets
 *                                  ▲ scores, models     └─▶ unlearn-jobs (LOW, MEDIUM, HIGH)
 * memorization-scores, model-versions ─▶ global stores;  deletion-receipts ─▶ receipts store (status queries)
 * </pre>
 */
public final class DeletionTopology {
  private DeletionTopology() {}

  public static Topology build(
      TopologyConfig config, ContractSerdes serdes, DeletionMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.globalTable(
        config.topic(Topic.MEMORIZATION_SCORES),
        Consumed.with(Serdes.String(), serdes.scores()),
        Materialized.<String, dev.rumstream.avro.MemorizationScore, KeyValueStore<Bytes, byte[]>>as(
            StoreNames.SCORES));
    builder.globalTable(
        config.topic(Topic.MODEL_VERSIONS),
        Consumed.with(Serdes.String(), serdes.modelVersions()),
        Materialized.<String, dev.rumstream.avro.ModelVersion, KeyValueStore<Bytes, byte[]>>as(
            StoreNames.MODELS));
    builder.table(
        config.topic(Topic.DELETION_RECEIPTS),
        Consumed.with(Serdes.String(), serdes.receipts()),
        Materialized.<String, DeletionReceipt, KeyValueStore<Bytes, byte[]>>as(
            StoreNames.RECEIPTS));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.REQUEST_IDS),
            Serdes.String(),
            Serdes.Long()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.OPEN_FORGET_SETS),
            Serdes.String(),
            serdes.openSets()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.FORGET_SET_CLOCK),
            Serdes.String(),
            Serdes.Long()));

    KStream<String, DeletionRequest> requests =
        builder.stream(
            config.topic(Topic.DELETION_REQUESTS),
            Consumed.with(Serdes.String(), serdes.requests()).withName("deletion-requests"));
    Map<String, KStream<String, SpecificRecord>> intake =
        requests
            .process(() -> new Intake(config, metrics), Named.as("intake"), StoreNames.REQUEST_IDS)
            .split(Named.as("intake-"))
            .branch((key, value) -> value instanceof DeletionReceipt, Branched.as("receipts"))
            .defaultBranch(Branched.as("accepted"));
    intake
        .get("intake-receipts")
        .mapValues(value -> (DeletionReceipt) value, Named.as("as-receipt"))
        .to(
            config.topic(Topic.DELETION_RECEIPTS),
            Produced.with(Serdes.String(), serdes.receipts()));

    Map<String, KStream<String, SpecificRecord>> windows =
        intake
            .get("intake-accepted")
            .mapValues(value -> (DeletionRequest) value, Named.as("as-request"))
            .process(
                () -> new ForgetSetWindows(config, metrics),
                Named.as("forget-set-windows"),
                StoreNames.OPEN_FORGET_SETS,
                StoreNames.FORGET_SET_CLOCK)
            .split(Named.as("closed-"))
            .branch((key, value) -> value instanceof ForgetSet, Branched.as("sets"))
            .defaultBranch(Branched.as("jobs"));
    windows
        .get("closed-sets")
        .mapValues(value -> (ForgetSet) value, Named.as("as-forget-set"))
        .to(config.topic(Topic.FORGET_SETS), Produced.with(Serdes.String(), serdes.forgetSets()));
    windows
        .get("closed-jobs")
        .mapValues(value -> (UnlearnJob) value, Named.as("as-job"))
        .to(config.topic(Topic.UNLEARN_JOBS), Produced.with(Serdes.String(), serdes.jobs()));
    return builder.build();
  }
}
