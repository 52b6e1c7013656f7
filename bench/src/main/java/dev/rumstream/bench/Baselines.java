package dev.rumstream.bench;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.topics.Topic;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The middle rungs of the throughput ladder: each request decoded from the registry's wire format
 * and answered with an ACCEPTED receipt (keyed by request id, encoded the same way), and the same
 * with every request id put in one changelogged, cached store, as the topology's dedup does.
 */
final class Baselines {
  private static final String STORE = "request-ids";

  private Baselines() {}

  static void receipts(
      StreamsBuilder builder, String in, String out, boolean withStore, String registryUrl) {
    Map<String, Object> config =
        Map.of(
            "schema.registry.url",
            registryUrl,
            Topic.VALUE_SERDE_KEY,
            "dev.rumstream.serde.SpecificAvroSerde",
            "auto.register.schemas",
            "true");
    Serde<DeletionRequest> requests = Topic.DELETION_REQUESTS.valueSerde(config);
    Serde<DeletionReceipt> receipts = Topic.DELETION_RECEIPTS.valueSerde(config);
    if (withStore) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
              .withCachingEnabled());
    }
    builder.stream(in, Consumed.with(Serdes.String(), requests))
        .process(() -> new Receipts(withStore), withStore ? new String[] {STORE} : new String[0])
        .to(out, Produced.with(Serdes.String(), receipts));
  }

  /** Answers each request with an ACCEPTED receipt; remembers its id when it has the store. */
  private static final class Receipts
      implements Processor<String, DeletionRequest, String, DeletionReceipt> {
    private final boolean withStore;
    private ProcessorContext<String, DeletionReceipt> context;
    private KeyValueStore<String, Long> ids;

    Receipts(boolean withStore) {
      this.withStore = withStore;
    }

    @Override
    public void init(ProcessorContext<String, DeletionReceipt> context) {
      this.context = context;
      this.ids = withStore ? context.getStateStore(STORE) : null;
    }

    @Override
    public void process(Record<String, DeletionRequest> record) {
      DeletionRequest request = record.value();
      long now = context.currentSystemTimeMs();
      if (ids != null) {
        ids.put(request.getRequestId(), now);
      }
      DeletionReceipt receipt =
          DeletionReceipt.newBuilder()
              .setRequestId(request.getRequestId())
              .setStatus(ReceiptStatus.ACCEPTED)
              .setModelId(request.getModelId())
              .setReason(request.getReason())
              .setExampleCount(request.getExampleIds().size())
              .setReceivedAt(request.getRequestedAt())
              .setDeadline(request.getDeadline())
              .setIssuedAt(Instant.ofEpochMilli(now))
              .build();
      context.forward(new Record<>(request.getRequestId(), receipt, now));
    }
  }
}
