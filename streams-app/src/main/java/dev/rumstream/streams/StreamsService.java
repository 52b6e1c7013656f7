package dev.rumstream.streams;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.state.OutstandingRequest;
import dev.rumstream.avro.state.RequestHistory;
import dev.rumstream.config.Settings;
import dev.rumstream.service.Health;
import dev.rumstream.service.HttpAccess;
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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
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
  private final Deserializer<AuditRecord> auditRecords;
  private final Deserializer<DeletionReceipt> receipts;
  private final String receiptsTopic;
  private final AuditChain auditChain;
  private final String peerToken;

  /** Where a request's receipt lives: here (with the receipt, if any) or on another instance. */
  public sealed interface Lookup<V> {
    record Local<V>(Optional<V> value) implements Lookup<V> {}

    record Elsewhere<V>(HostInfo owner) implements Lookup<V> {}

    record Unavailable<V>(String why) implements Lookup<V> {}
  }

  /** The streams app in its shell: the only place a {@link StreamsService} is built. */
  public static ServiceShell<StreamsService> shell(Settings settings) throws Exception {
    return ServiceShell.open(settings, StreamsService::new);
  }

  private StreamsService(Settings settings, MeterRegistry registry) {
    TopologyConfig config = TopologyConfig.from(settings);
    boolean devMode = Boolean.parseBoolean(settings.string("rumstream.dev.mode"));
    if (!devMode && Arrays.equals(config.subjectHashKey(), TopologyConfig.DEVELOPMENT_KEY)) {
      throw new ConfigException(
          "rumstream.subject.hash.key is the published development key: with it, the hash of a"
              + " guessable subject id can be reversed. Set a secret (RUMSTREAM_SUBJECT_HASH_KEY), or"
              + " rumstream.dev.mode=true for a local trial.");
    }
    if (!devMode && config.auditKey().equals(AuditChain.DEVELOPMENT_KEY)) {
      throw new ConfigException(AuditChain.DEVELOPMENT_KEY_REFUSED);
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
    this.auditRecords = serdes.audit().deserializer();
    this.receipts = serdes.receipts().deserializer();
    this.receiptsTopic = config.topic(Topic.DELETION_RECEIPTS);
    this.auditChain = new AuditChain(config.auditKey(), config.auditActor());

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
    streams.setGlobalStateRestoreListener(new RestoreLog());
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    this.peerToken = HttpAccess.from(settings).bearerToken();
    Gauge.builder("rumstream.requests.pending", () -> outstandingOrEmpty().size())
        .description("Accepted requests of this instance's partitions not yet COMPLETED")
        .register(registry);
    Gauge.builder("rumstream.requests.pending.min.slack", this::minimumSlackSeconds)
        .description(
            "Least time left before a deadline over the pending requests of this instance's"
                + " partitions (open forget sets, queued and running jobs); NaN when none has one")
        .baseUnit("seconds")
        .register(registry);
  }

  /** One request not yet COMPLETED, with what is left of its deadline. */
  public record Pending(
      String requestId,
      String modelId,
      String stage,
      Instant acceptedAt,
      Instant deadline,
      Double slackSeconds) {}

  /** The pending requests of this instance's partitions, soonest deadline first. */
  public List<Pending> outstanding() {
    ReadOnlyKeyValueStore<String, OutstandingRequest> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                StoreNames.OUTSTANDING,
                QueryableStoreTypes.<String, OutstandingRequest>keyValueStore()));
    long now = System.currentTimeMillis();
    List<Pending> pending = new ArrayList<>();
    try (KeyValueIterator<String, OutstandingRequest> all = store.all()) {
      all.forEachRemaining(
          entry -> {
            OutstandingRequest request = entry.value;
            Long deadline = request.getDeadline();
            pending.add(
                new Pending(
                    entry.key,
                    request.getModelId(),
                    request.getStage(),
                    Instant.ofEpochMilli(request.getAcceptedAt()),
                    deadline == null ? null : Instant.ofEpochMilli(deadline),
                    deadline == null ? null : (deadline - now) / 1000.0));
          });
    }
    pending.sort(SOONEST_FIRST);
    return pending;
  }

  /** Deadlines first, the nearest first; then requests without one, oldest first. */
  public static final Comparator<Pending> SOONEST_FIRST =
      Comparator.comparing(
              Pending::slackSeconds, Comparator.nullsLast(Comparator.<Double>naturalOrder()))
          .thenComparing(Pending::acceptedAt);

  private List<Pending> outstandingOrEmpty() {
    try {
      return outstanding();
    } catch (RuntimeException e) {
      return List.of(); // not RUNNING (starting, rebalancing): nothing to report yet
    }
  }

  private double minimumSlackSeconds() {
    return outstandingOrEmpty().stream()
        .map(Pending::slackSeconds)
        .filter(java.util.Objects::nonNull)
        .min(Double::compare)
        .orElse(Double.NaN);
  }

  /** The other instances of this application (for a list that covers every partition). */
  public List<HostInfo> peers() {
    return streams.metadataForAllStreamsClients().stream()
        .map(StreamsMetadata::hostInfo)
        .filter(host -> !host.equals(self))
        .distinct()
        .toList();
  }

  /** The bearer token this instance's peers want (empty: none). */
  public String peerToken() {
    return peerToken;
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
    return List.of(
        new ServiceHttp.Endpoint("/requests", new RequestEndpoint(this, auditRecords, auditChain)));
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** A request's latest receipt; the store keeps it as the receipts topic holds it. */
  public Lookup<DeletionReceipt> receipt(String requestId) {
    return lookup(
        StoreNames.RECEIPTS,
        requestId,
        (byte[] stored) -> receipts.deserialize(receiptsTopic, stored));
  }

  /** A request's audit trail as read back from deletion-audit. */
  public Lookup<RequestHistory> history(String requestId) {
    return lookup(StoreNames.HISTORY, requestId, Function.<RequestHistory>identity());
  }

  /** The store's value for the key, as {@code decode} reads it, wherever the key lives. */
  private <S, V> Lookup<V> lookup(String storeName, String requestId, Function<S, V> decode) {
    KeyQueryMetadata owner =
        streams.queryMetadataForKey(storeName, requestId, Serdes.String().serializer());
    if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE) {
      return new Lookup.Unavailable<>(
          "the " + storeName + " store is not available yet (state " + state() + ")");
    }
    if (!owner.activeHost().equals(self) && !owner.activeHost().equals(HostInfo.unavailable())) {
      return new Lookup.Elsewhere<>(owner.activeHost());
    }
    S stored;
    try {
      ReadOnlyKeyValueStore<String, S> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                      storeName, QueryableStoreTypes.<String, S>keyValueStore())
                  .withPartition(owner.partition()));
      stored = store.get(requestId);
    } catch (RuntimeException e) {
      return new Lookup.Unavailable<>(
          "the " + storeName + " store cannot be queried now: " + e.getMessage());
    }
    return new Lookup.Local<>(Optional.ofNullable(stored).map(decode));
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
