package dev.rumstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumstream.topics.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What one benchmark run puts on shared services, and its removal: topics, consumer groups,
 * registry subjects and state directories, all named {@code bench-<UTC time>-<random>...}, so a run
 * can share a broker with other users. Closing it (or the JVM's shutdown hook, after an interrupt)
 * closes what still runs and deletes all of it.
 */
final class BrokerRun implements AutoCloseable {
  private final String bootstrapServers;
  private final String registryUrl;
  private final Path stateParent;
  private final PrintStream out;
  private final String runId =
      "bench-"
          + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
              .withZone(ZoneOffset.UTC)
              .format(Instant.now())
          + "-"
          + Integer.toHexString(new Random().nextInt(0x10000));
  private final List<Path> stateDirs = new ArrayList<>();
  private final List<String> groups = new ArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Thread cleanupHook = new Thread(() -> cleanUp(false), "bench-cleanup");
  private boolean cleanedUp;

  BrokerRun(String bootstrapServers, String registryUrl, Path stateParent, PrintStream out) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.stateParent = stateParent;
    this.out = out;
    Runtime.getRuntime().addShutdownHook(cleanupHook);
  }

  String id() {
    return runId;
  }

  Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** A consumer group (or Kafka Streams application id) of this run, deleted at the end. */
  synchronized String group(String name) {
    String id = runId + "-" + name;
    groups.add(id);
    return id;
  }

  /** A fresh directory of this run under the state parent, deleted at the end. */
  synchronized Path stateDir(String name) throws IOException {
    Path dir = stateParent.toAbsolutePath().resolve(runId + "-" + name);
    Files.createDirectories(dir);
    stateDirs.add(dir);
    return dir;
  }

  /**
   * Settings of a rumstream app on these services with every topic one of this run's, {@code <run
   * id>-<prefix>-<default name>}.
   */
  Map<String, String> appSettings(String prefix) {
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrapServers);
    settings.put("schema.registry.url", registryUrl);
    for (Topic<?, ?> topic : Topic.all()) {
      settings.put(topic.nameKey(), runId + "-" + prefix + "-" + topic.defaultName());
    }
    return settings;
  }

  void createTopics(Map<String, Topic.CleanupPolicy> topics, int partitions) throws Exception {
    try (Admin admin = Admin.create(clientConfig())) {
      admin
          .createTopics(
              topics.entrySet().stream()
                  .map(
                      e ->
                          new NewTopic(e.getKey(), partitions, (short) 1)
                              .configs(
                                  Map.of(
                                      TopicConfig.CLEANUP_POLICY_CONFIG,
                                      e.getValue().configValue())))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** Something that must be closed before the cleanup if the run ends early. */
  synchronized <T extends AutoCloseable> T track(T app) {
    running.add(app);
    return app;
  }

  synchronized void untrack(AutoCloseable app) {
    running.remove(app);
  }

  static void awaitRunning(String label, Supplier<KafkaStreams.State> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (state.get() != KafkaStreams.State.RUNNING) {
      if (state.get() == KafkaStreams.State.ERROR
          || state.get() == KafkaStreams.State.NOT_RUNNING
          || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            label + ": Kafka Streams did not reach RUNNING (state " + state.get() + ")");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    cleanUp(true);
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  /**
   * Closes what still runs, deletes every topic, group and registry subject of this run, and the
   * state dirs.
   */
  private synchronized void cleanUp(boolean patient) {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    for (AutoCloseable app : List.copyOf(running)) { // only after a failure or an interrupt
      try {
        app.close();
      } catch (Exception e) {
        out.println("cleanup: closing " + app + " failed: " + e);
      }
    }
    try (Admin admin = Admin.create(clientConfig())) {
      Set<String> ours =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(name -> name.startsWith(runId))
              .collect(Collectors.toSet());
      if (!ours.isEmpty()) {
        admin.deleteTopics(ours).all().get(60, TimeUnit.SECONDS);
      }
      int deleted = deleteGroups(admin, patient ? 60 : 0);
      out.printf(
          "cleanup: deleted %d topics and %d consumer groups of %s%n", ours.size(), deleted, runId);
    } catch (Exception e) {
      out.println("cleanup: could not delete the topics of " + runId + ": " + e);
    }
    deleteRegistrySubjects();
    for (Path dir : stateDirs) {
      if (!Files.exists(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        out.println("cleanup: could not delete " + dir + ": " + e.getMessage());
      }
    }
  }

  /**
   * Kafka Streams does not leave its group on close, so the last app's group stays non-empty until
   * the broker's session timeout (45 s) expires; retries until then.
   */
  private int deleteGroups(Admin admin, int patienceSeconds) throws InterruptedException {
    int deleted = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(patienceSeconds);
    List<String> left = new ArrayList<>(groups);
    boolean told = false;
    while (!left.isEmpty()) {
      for (String group : List.copyOf(left)) {
        try {
          admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
          deleted++;
          left.remove(group);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof GroupIdNotFoundException) {
            left.remove(group);
          } else if (!(e.getCause() instanceof GroupNotEmptyException)
              || System.nanoTime() > deadline) {
            out.println("cleanup: could not delete consumer group " + group + ": " + e.getCause());
            left.remove(group);
          }
        } catch (TimeoutException e) {
          out.println("cleanup: could not delete consumer group " + group + ": " + e);
          left.remove(group);
        }
      }
      if (!left.isEmpty()) {
        if (!told) {
          out.println(
              "cleanup: waiting for the broker to expire the last group's member (up to 60 s)");
          told = true;
        }
        Thread.sleep(2000);
      }
    }
    return deleted;
  }

  /**
   * The schemas this run registered live under subjects named after its topics ({@code
   * <topic>-value}).
   */
  private void deleteRegistrySubjects() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base =
        registryUrl.endsWith("/")
            ? registryUrl.substring(0, registryUrl.length() - 1)
            : registryUrl;
    try {
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/subjects"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      int deleted = 0;
      for (JsonNode subject : new ObjectMapper().readTree(list.body())) {
        if (!subject.asText().startsWith(runId)) {
          continue;
        }
        String path =
            base + "/subjects/" + URLEncoder.encode(subject.asText(), StandardCharsets.UTF_8);
        for (String uri : List.of(path, path + "?permanent=true")) {
          http.send(
              HttpRequest.newBuilder(URI.create(uri))
                  .timeout(Duration.ofSeconds(10))
                  .DELETE()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
        }
        deleted++;
      }
      out.printf("cleanup: deleted %d registry subjects of %s%n", deleted, runId);
    } catch (Exception e) {
      out.println("cleanup: could not delete the registry subjects of " + runId + ": " + e);
    }
  }
}
