package dev.rumstream.streams;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.config.Settings;
import dev.rumstream.service.Health;
import dev.rumstream.service.RunningService;
import dev.rumstream.service.ServiceHttp;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.http.RequestEndpoint;
import dev.rumstream.streams.topology.ContractSerdes;
import dev.rumstream.streams.topology.DeadLetters;
import dev.rumstream.streams.topology.DeletionMetrics;
import dev.rumstream.streams.topology.DeletionTopology;
import dev.rumstream.streams.topology.StoreNames;
import dev.rumstream.topics.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the deletion topology: Kafka Streams with exactly-once processing and
 * RocksDB state, dead letters for bad records, a policy for uncaught exceptions, metrics, and
 * receipt lookups by interactive query.
 */
public final class StreamsService implements RunningService {
  private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final HostInfo self;
  private final Duration shutdownTimeout;

  /** Where a request's receipt lives: here (with the receipt, if any) or on another instance. */
  public sealed interface ReceiptLookup {
    record Local(Optional<DeletionReceipt> receipt) implements ReceiptLookup {}

    record Elsewhere(HostInfo owner) implements ReceiptLookup {}

    record Unavailable(String why) implements ReceiptLookup {}
  }

  /** The streams app in its shell: the only place a {@link StreamsService} is built. */
  public static ServiceShell<StreamsService> shell(Settings settings) throws Exception {
    return ServiceShell.open(settings, StreamsService::new);
  }

  private StreamsService(Settings settings, MeterRegistry registry) {
    TopologyConfig config = TopologyConfig.from(settings);
    if (!Boolean.parseBoolean(settings.string("rumstream.dev.mode"))
        && Arrays.equals(config.subjectHashKey(), TopologyConfig.DEVELOPMENT_KEY)) {
      throw new ConfigException(
          "rumstream.subject.hash.key is the published development key: with it, the hash of a"
              + " guessable subject id can be reversed. Set a secret (RUMSTREAM_SUBJECT_HASH_KEY), or"
              + " rumstream.dev.mode=true for a local trial.");
    }
    Map<String, Object> kafka = settings.kafka();
    int httpPort = settings.integer("rumstream.http.port");
    kafka.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + httpPort);
    this.self =
        HostInfo.buildFromEndpoint(kafka.get(StreamsConfig.APPLICATION_SERVER_CONFIG).toString());
    this.shutdownTimeout = settings.duration("rumstream.shutdown.timeout");

    DeletionMetrics metrics = new DeletionMetrics(registry, System::currentTimeMillis);
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
    props.put(DeadLetters.TOPIC_CONFIG, config.topic(Topic.DELETION_REQUESTS_DLQ));
    props.put(DeadLetters.METRICS_CONFIG, metrics);
    ContractSerdes serdes = ContractSerdes.of(settings.string("rumstream.value.serde"), kafka);

    this.streams = new KafkaStreams(DeletionTopology.build(config, serdes, metrics), props);
    StreamThreadExceptionResponse policy =
        settings.choice("rumstream.uncaught.exception.policy", StreamThreadExceptionResponse.class);
    streams.setUncaughtExceptionHandler(
        exception -> {
          log.error("A stream thread died; policy {}", policy, exception);
          return policy;
        });
    streams.setStateListener(
        (now, before) -> log.info("Kafka Streams state {} -> {}", before, now));
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
  }

  @Override
  public void start() {
    streams.start();
  }

  /** Alive unless Kafka Streams has failed for good. */
  @Override
  public Health live() {
    KafkaStreams.State state = state();
    return Health.of(
        state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR,
        "state",
        state.name());
  }

  /** Ready while Kafka Streams is RUNNING. */
  @Override
  public Health ready() {
    KafkaStreams.State state = state();
    return Health.of(state == KafkaStreams.State.RUNNING, "state", state.name());
  }

  @Override
  public List<ServiceHttp.Endpoint> endpoints() {
    return List.of(new ServiceHttp.Endpoint("/requests/", new RequestEndpoint(this)));
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public ReceiptLookup receipt(String requestId) {
    KeyQueryMetadata owner =
        streams.queryMetadataForKey(StoreNames.RECEIPTS, requestId, Serdes.String().serializer());
    if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE) {
      return new ReceiptLookup.Unavailable(
          "the receipts store is not available yet (state " + state() + ")");
    }
    if (!owner.activeHost().equals(self) && !owner.activeHost().equals(HostInfo.unavailable())) {
      return new ReceiptLookup.Elsewhere(owner.activeHost());
    }
    try {
      ReadOnlyKeyValueStore<String, DeletionReceipt> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                      StoreNames.RECEIPTS,
                      QueryableStoreTypes.<String, DeletionReceipt>keyValueStore())
                  .withPartition(owner.partition()));
      return new ReceiptLookup.Local(Optional.ofNullable(store.get(requestId)));
    } catch (RuntimeException e) {
      return new ReceiptLookup.Unavailable(
          "the receipts store cannot be queried now: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    log.info("Closing Kafka Streams (up to {})", shutdownTimeout);
    // Leaving the group hands this instance's tasks to the others at once instead of after the
    // session timeout.
    streams.close(
        CloseOptions.timeout(shutdownTimeout)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    streamsMetrics.close();
  }
}
