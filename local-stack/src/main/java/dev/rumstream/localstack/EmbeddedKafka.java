package dev.rumstream.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka cluster (one process acting as broker and controller) running inside
 * this JVM.
 *
 * <p>Meant for the local loop and tests: everything binds to 127.0.0.1 and all internal topics use
 * replication factor 1. Start it once per JVM where possible; a start takes several seconds.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";

  /**
   * Settings set to 1 for a single node. Internal topics with the default replication factor 3
   * would never become available, and consumer groups, transactions and share groups would hang;
   * fewer internal partitions make the first group join and first transaction much faster.
   */
  private static final List<String> SINGLE_NODE_SETTINGS =
      List.of(
          "offsets.topic.replication.factor",
          "transaction.state.log.replication.factor",
          "transaction.state.log.min.isr",
          "share.coordinator.state.topic.replication.factor",
          "share.coordinator.state.topic.min.isr",
          "default.replication.factor",
          "min.insync.replicas",
          "offsets.topic.num.partitions",
          "transaction.state.log.num.partitions",
          "share.coordinator.state.topic.num.partitions");

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats {@code dataDir} as a fresh KRaft cluster, starts the broker and returns once it answers
   * metadata requests.
   *
   * @param dataDir a directory that is empty or does not exist yet; the broker keeps its logs and
   *     the generated {@code server.properties} there
   * @throws IllegalStateException if formatting fails or the broker is not ready within 60 seconds
   */
  public static EmbeddedKafka start(Path dataDir) {
    long startedAt = System.nanoTime();
    Path logDir = dataDir.resolve("kraft-logs");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka data directory " + logDir, e);
    }
    int[] ports = freePorts(2);
    int brokerPort = ports[0];
    int controllerPort = ports[1];
    Properties props = brokerProperties(logDir, brokerPort, controllerPort);
    Path propsFile = dataDir.resolve("server.properties");
    writeProperties(props, propsFile);
    format(propsFile);

    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    String bootstrap = HOST + ":" + brokerPort;
    try {
      server.startup();
      awaitReady(bootstrap);
    } catch (RuntimeException e) {
      shutdownQuietly(server, e);
      throw e;
    }
    LOG.info(
        "Embedded Kafka ready at {} after {} ms",
        bootstrap,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    return new EmbeddedKafka(server, bootstrap);
  }

  /** The {@code bootstrap.servers} value for clients, like {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Stops the broker and controller and waits until they are down. Leaves the data directory in
   * place.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stop(server);
    }
  }

  private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", String.valueOf(NODE_ID)),
            // Static voters: format must then not be given --standalone.
            Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + HOST
                    + ":"
                    + brokerPort
                    + ",CONTROLLER://"
                    + HOST
                    + ":"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
            // Otherwise every first consumer-group join waits 3 s.
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("num.partitions", "1")));
    SINGLE_NODE_SETTINGS.forEach(key -> p.put(key, "1"));
    return p;
  }

  private static void writeProperties(Properties props, Path file) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(out, "Generated by EmbeddedKafka");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static void format(Path propsFile) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String[] args = {
      "format",
      "--config",
      propsFile.toAbsolutePath().toString(),
      "--cluster-id",
      Uuid.randomUuid().toString()
    };
    int rc;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(args, out);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Formatting KRaft storage failed: " + e.getMessage(), e);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "Formatting KRaft storage failed with exit code "
              + rc
              + ": "
              + captured.toString(StandardCharsets.UTF_8));
    }
  }

  private static void awaitReady(String bootstrap) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
      while (System.nanoTime() < deadline) {
        try {
          Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for Kafka at " + bootstrap, e);
        } catch (Exception e) {
          last = e;
        }
        sleep(100);
      }
    }
    throw new IllegalStateException(
        "Kafka at "
            + bootstrap
            + " did not answer a metadata request within "
            + READY_TIMEOUT.toSeconds()
            + " s",
        last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static void shutdownQuietly(KafkaRaftServer server, RuntimeException cause) {
    try {
      stop(server);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Ports the OS considers free right now. All sockets are held open together so the ports are
   * distinct; another process may still take one before Kafka binds it, which then fails the start
   * with a bind error.
   */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        socket.setReuseAddress(true);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find free ports on " + HOST, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          LOG.debug("Closing port probe failed", e);
        }
      }
    }
  }
}
