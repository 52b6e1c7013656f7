package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.rumstream.topics.Topic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml parses and agrees with what the applications read and what the tests run:
 * images, topics and their policies, ports, settings, Prometheus' scrape targets and Grafana's
 * provisioning.
 */
class ComposeTest {
  static final JsonNode COMPOSE = Repo.yaml(Repo.COMPOSE);
  static final JsonNode SERVICES = COMPOSE.path("services");
  private static final Pattern CREATE =
      Pattern.compile(
          "^\\s*create\\s+(\\S+)\\s+(\\d+)((?:\\s+[a-z.]+=\\S+)*)\\s*$", Pattern.MULTILINE);

  static Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode node = SERVICES.path(service).path("environment");
    if (node.isArray()) {
      node.forEach(
          entry -> {
            String[] pair = entry.asText().split("=", 2);
            env.put(pair[0], pair.length > 1 ? pair[1] : "");
          });
    } else {
      node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    return env;
  }

  /** "host:container" port mappings of a service, as container port -> host port. */
  static Map<Integer, Integer> ports(String service) {
    Map<Integer, Integer> ports = new HashMap<>();
    for (String[] parts : colonSeparated(service, "ports")) {
      ports.put(
          Integer.parseInt(parts[parts.length - 1]), Integer.parseInt(parts[parts.length - 2]));
    }
    return ports;
  }

  /**
   * Volume mounts of a service: container path -> source (a named volume, or a path relative to the
   * repo).
   */
  static Map<String, String> mounts(String service) {
    Map<String, String> mounts = new HashMap<>();
    for (String[] parts : colonSeparated(service, "volumes")) {
      mounts.put(parts[1], parts[0]);
    }
    return mounts;
  }

  /** The entries of one of a service's lists in compose's short "a:b[:c]" syntax, split. */
  private static List<String[]> colonSeparated(String service, String list) {
    List<String[]> entries = new ArrayList<>();
    SERVICES.path(service).path(list).forEach(entry -> entries.add(entry.asText().split(":")));
    return entries;
  }

  /**
   * Runs Debian's docker-compose 1.29 on the file (no engine needed); returns its exit and output.
   */
  private static Map.Entry<Integer, String> dockerComposeConfig(Map<String, String> environment)
      throws Exception {
    return dockerCompose(environment, List.of("-f", Repo.COMPOSE.toString(), "config", "-q"));
  }

  private static Map.Entry<Integer, String> dockerCompose(
      Map<String, String> environment, List<String> arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Tool.DOCKER_COMPOSE.command()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("GRAFANA_ADMIN_PASSWORD");
    builder.environment().remove("RUMSTREAM_SUBJECT_HASH_KEY");
    builder.environment().remove("RUMSTREAM_AUDIT_KEY");
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (java.io.IOException e) {
      // Tool.start says how to install it.
      process = Tool.DOCKER_COMPOSE.start(command, true);
    }
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return Map.entry(process.exitValue(), output);
  }

  @Test
  void debiansDockerComposeValidatesTheFile() throws Exception {
    Map.Entry<Integer, String> result =
        dockerComposeConfig(
            Map.of(
                "GRAFANA_ADMIN_PASSWORD", "only-for-this-test",
                "RUMSTREAM_SUBJECT_HASH_KEY", "only-for-this-test",
                "RUMSTREAM_AUDIT_KEY", "only-for-this-test"));
    assertThat(result.getKey()).as("docker-compose config:%n%s", result.getValue()).isZero();
  }

  @Test
  void theStackRefusesToStartWithoutAGrafanaAdminPassword() throws Exception {
    Map.Entry<Integer, String> result =
        dockerComposeConfig(
            Map.of(
                "RUMSTREAM_SUBJECT_HASH_KEY", "only-for-this-test",
                "RUMSTREAM_AUDIT_KEY", "only-for-this-test"));
    assertThat(result.getKey()).isNotZero();
    assertThat(result.getValue()).contains("set GRAFANA_ADMIN_PASSWORD");
    assertThat(environment("grafana")).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "false");
  }

  @Test
  void theStackRefusesToStartWithoutASubjectHashKeyOfItsOwn() throws Exception {
    Map.Entry<Integer, String> result =
        dockerComposeConfig(
            Map.of(
                "GRAFANA_ADMIN_PASSWORD", "only-for-this-test",
                "RUMSTREAM_AUDIT_KEY", "only-for-this-test"));
    assertThat(result.getKey()).isNotZero();
    assertThat(result.getValue()).contains("set RUMSTREAM_SUBJECT_HASH_KEY");
  }

  @Test
  void theStackRefusesToStartWithoutAnAuditKeyOfItsOwn() throws Exception {
    Map.Entry<Integer, String> result =
        dockerComposeConfig(
            Map.of(
                "GRAFANA_ADMIN_PASSWORD", "only-for-this-test",
                "RUMSTREAM_SUBJECT_HASH_KEY", "only-for-this-test"));
    assertThat(result.getKey()).isNotZero();
    assertThat(result.getValue()).contains("set RUMSTREAM_AUDIT_KEY");
    assertThat(environment("streams-app").get("RUMSTREAM_AUDIT_KEY"))
        .isEqualTo(environment("worker").get("RUMSTREAM_AUDIT_KEY"));
  }

  @Test
  void everyPublishedPortListensOnTheLoopbackInterfaceOnly() {
    SERVICES
        .fields()
        .forEachRemaining(
            service ->
                service
                    .getValue()
                    .path("ports")
                    .forEach(
                        port ->
                            assertThat(port.asText())
                                .as("a port of %s", service.getKey())
                                .startsWith("127.0.0.1:")));
  }

  @Test
  void declaresTheWholeStack() {
    assertThat(COMPOSE.isObject()).as("docker-compose.yml is a mapping").isTrue();
    Set<String> services = new TreeSet<>();
    SERVICES.fieldNames().forEachRemaining(services::add);
    assertThat(services)
        .containsExactlyInAnyOrder(
            "kafka",
            "schema-registry",
            "topics",
            "schemas",
            "bootstrap",
            "streams-app",
            "worker",
            "prometheus",
            "alertmanager",
            "grafana");
  }

  @Test
  void runsTheBrokerAndRegistryImagesTheTestsRun() {
    assertThat(SERVICES.path("kafka").path("image").asText()).isEqualTo(ContainerImages.KAFKA);
    assertThat(SERVICES.path("topics").path("image").asText()).isEqualTo(ContainerImages.KAFKA);
    assertThat(SERVICES.path("schema-registry").path("image").asText())
        .isEqualTo(ContainerImages.SCHEMA_REGISTRY);
  }

  @Test
  void pinsEveryImageAndBuildsTheApplicationsWithTheImagesKubernetesRuns() {
    SERVICES
        .fields()
        .forEachRemaining(
            service -> {
              String image = service.getValue().path("image").asText();
              assertThat(image)
                  .as("image of %s", service.getKey())
                  .matches(".+:[^:/]*\\d[^:/]*")
                  .doesNotEndWith(":latest");
            });
    assertThat(SERVICES.path("streams-app").path("build").path("dockerfile").asText())
        .isEqualTo("streams-app/Dockerfile");
    assertThat(SERVICES.path("worker").path("build").path("dockerfile").asText())
        .isEqualTo("unlearn-worker/Dockerfile");
    for (String service : List.of("streams-app", "worker")) {
      JsonNode build = SERVICES.path(service).path("build");
      assertThat(build.path("context").asText()).as("build context of %s", service).isEqualTo(".");
      assertThat(Repo.ROOT.resolve(build.path("dockerfile").asText())).isRegularFile();
    }
    Map<String, String> kubernetesImages = new HashMap<>();
    ManifestsTest.workloads(ManifestsTest.objects("base"))
        .forEach(
            (name, pod) ->
                kubernetesImages.put(name, pod.getSpec().getContainers().get(0).getImage()));
    assertThat(SERVICES.path("streams-app").path("image").asText())
        .isEqualTo(kubernetesImages.get(ManifestsTest.STREAMS));
    assertThat(SERVICES.path("worker").path("image").asText())
        .isEqualTo(kubernetesImages.get(ManifestsTest.WORKER));
  }

  private static String dependency(String service, String on) {
    return SERVICES.path(service).path("depends_on").path(on).path("condition").asText();
  }

  @Test
  void theContractsAreRegisteredAndVersionZeroBootstrappedBeforeTheServicesStart() {
    JsonNode schemas = SERVICES.path("schemas");
    assertThat(schemas.path("image").asText())
        .isEqualTo(SERVICES.path("streams-app").path("image").asText());
    assertThat(textOf(schemas.path("command"))).containsExactly("schemas");
    assertThat(environment("schemas"))
        .containsEntry(
            "SCHEMA_REGISTRY_URL", environment("streams-app").get("SCHEMA_REGISTRY_URL"));
    assertThat(dependency("schemas", "schema-registry")).isEqualTo("service_healthy");
    assertThat(dependency("streams-app", "schemas")).isEqualTo("service_completed_successfully");

    JsonNode bootstrap = SERVICES.path("bootstrap");
    assertThat(bootstrap.path("image").asText())
        .isEqualTo(SERVICES.path("worker").path("image").asText());
    assertThat(textOf(bootstrap.path("command"))).startsWith("train", "--model-id");
    Map<String, String> env = environment("bootstrap");
    assertThat(KnownSettings.unknown(env, KnownSettings.workerDefaults())).isEmpty();
    String store = env.get("RUMSTREAM_MODEL_STORE");
    assertThat(store).isEqualTo(environment("worker").get("RUMSTREAM_MODEL_STORE"));
    assertThat(mounts("bootstrap").get(store))
        .as("the bootstrap trains into the worker's model volume")
        .isEqualTo(mounts("worker").get(store));
    assertThat(dependency("bootstrap", "schemas")).isEqualTo("service_completed_successfully");
    assertThat(dependency("bootstrap", "topics")).isEqualTo("service_completed_successfully");
    assertThat(dependency("worker", "bootstrap")).isEqualTo("service_completed_successfully");
    for (String oneShot : List.of("topics", "schemas", "bootstrap")) {
      assertThat(SERVICES.path(oneShot).path("restart").asText()).as(oneShot).isEqualTo("no");
    }
  }

  @Test
  void theGpuOverrideRunsTheWorkerAndTheBootstrapOnTheCudaImageWithTheHostsGpus() throws Exception {
    java.nio.file.Path gpu = Repo.ROOT.resolve("docker-compose.gpu.yml");
    Map.Entry<Integer, String> validated =
        dockerCompose(
            Map.of(
                "GRAFANA_ADMIN_PASSWORD", "only-for-this-test",
                "RUMSTREAM_SUBJECT_HASH_KEY", "only-for-this-test",
                "RUMSTREAM_AUDIT_KEY", "only-for-this-test"),
            List.of("-f", Repo.COMPOSE.toString(), "-f", gpu.toString(), "config", "-q"));
    assertThat(validated.getKey()).as("docker-compose config:%n%s", validated.getValue()).isZero();
    JsonNode services = Repo.yaml(gpu).path("services");
    assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder("worker", "bootstrap");
    services.forEach(
        service -> {
          assertThat(service.path("build").path("dockerfile").asText())
              .isEqualTo("unlearn-worker/Dockerfile.cuda");
          assertThat(service.path("image").asText())
              .isEqualTo(SERVICES.path("worker").path("image").asText() + "-cuda");
          JsonNode device =
              service.path("deploy").path("resources").path("reservations").path("devices").get(0);
          assertThat(device.path("driver").asText()).isEqualTo("nvidia");
          assertThat(textOf(device.path("capabilities"))).containsExactly("gpu");
        });
  }

  /** name -> [partitions, configs] from the topics service's script. */
  static Map<String, Map.Entry<Integer, Map<String, String>>> composeTopics() {
    String script = String.join("\n", textOf(SERVICES.path("topics").path("command")));
    Map<String, Map.Entry<Integer, Map<String, String>>> topics = new TreeMap<>();
    Matcher matcher = CREATE.matcher(script);
    while (matcher.find()) {
      Map<String, String> configs = new TreeMap<>();
      for (String config : matcher.group(3).trim().split("\\s+")) {
        if (!config.isEmpty()) {
          String[] pair = config.split("=", 2);
          configs.put(pair[0], pair[1]);
        }
      }
      topics.put(matcher.group(1), Map.entry(Integer.parseInt(matcher.group(2)), configs));
    }
    return topics;
  }

  private static List<String> textOf(JsonNode node) {
    List<String> lines = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> lines.add(n.asText()));
    } else {
      lines.add(node.asText());
    }
    return lines;
  }

  @Test
  void createsEveryTopicWithItsCleanupPolicyAndTheSettingsOfTheKafkaTopics() throws IOException {
    Map<String, Map.Entry<Integer, Map<String, String>>> topics = composeTopics();
    assertThat(topics.keySet())
        .as("topics created by the topics service")
        .containsExactlyInAnyOrderElementsOf(Topic.all().stream().map(Topic::defaultName).toList());
    for (Topic<?, ?> topic : Topic.all()) {
      assertThat(topics.get(topic.defaultName()).getValue())
          .as("configs of %s", topic)
          .containsEntry("cleanup.policy", topic.cleanupPolicy().configValue());
    }
    Map<String, JsonNode> kafkaTopics = new HashMap<>();
    try (MappingIterator<JsonNode> documents =
        Repo.YAML
            .readerFor(JsonNode.class)
            .readValues(Repo.read(Repo.KUBERNETES.resolve("base/topics.yaml")))) {
      documents.forEachRemaining(
          doc -> kafkaTopics.put(doc.path("spec").path("topicName").asText(), doc.path("spec")));
    }
    topics.forEach(
        (name, declared) -> {
          JsonNode kafkaTopic = kafkaTopics.get(name);
          assertThat(kafkaTopic).as("KafkaTopic %s", name).isNotNull();
          assertThat(declared.getKey())
              .as("partitions of %s in compose and Kubernetes", name)
              .isEqualTo(kafkaTopic.path("partitions").asInt());
          Map<String, String> kubernetesConfigs = new TreeMap<>();
          kafkaTopic
              .path("config")
              .fields()
              .forEachRemaining(e -> kubernetesConfigs.put(e.getKey(), e.getValue().asText()));
          kubernetesConfigs.remove("min.insync.replicas"); // one broker in compose
          assertThat(declared.getValue())
              .as("configs of %s in compose and Kubernetes", name)
              .isEqualTo(kubernetesConfigs);
        });
  }

  @Test
  void theStreamsAppGetsTheSettingsItReads() {
    Properties defaults = KnownSettings.streamsDefaults();
    Map<String, String> env =
        assertRunsWithTheSettingsItReads(
            "streams-app", defaults, "KAFKA_STATE_DIR", "state.dir is on a volume");
    String port = defaults.getProperty("rumstream.http.port");
    assertThat(env).containsEntry("KAFKA_APPLICATION_SERVER", "streams-app:" + port);
  }

  @Test
  void theWorkerGetsTheSettingsItReads() {
    Properties defaults = KnownSettings.workerDefaults();
    Map<String, String> env =
        assertRunsWithTheSettingsItReads(
            "worker", defaults, "RUMSTREAM_MODEL_STORE", "the model store is on a volume");
    assertThat(defaults.getProperty("rumstream.http.port")).isEqualTo("8081");
    assertThat(env)
        .containsEntry("KAFKA_GROUP_ID", defaults.getProperty("group.id"))
        .containsEntry("RUMSTREAM_MODEL_STORE", "/var/lib/rumstream/models");
  }

  /**
   * What both applications need: only settings they read, their HTTP port published, the registry
   * and an advertised Kafka listener, a read-only root and their data directory on a volume.
   *
   * @return the service's environment
   */
  private static Map<String, String> assertRunsWithTheSettingsItReads(
      String service, Properties defaults, String dataDirSetting, String dataDirOnAVolume) {
    Map<String, String> env = environment(service);
    assertThat(KnownSettings.unknown(env, defaults)).as("settings of " + service).isEmpty();
    String port = defaults.getProperty("rumstream.http.port");
    assertThat(env)
        .containsEntry("RUMSTREAM_HTTP_PORT", port)
        .containsEntry("SCHEMA_REGISTRY_URL", "http://schema-registry:8081");
    assertThat(ports(service)).containsKey(Integer.parseInt(port));
    assertThat(advertisedListeners()).contains(env.get("KAFKA_BOOTSTRAP_SERVERS"));
    assertThat(mounts(service)).as(dataDirOnAVolume).containsKey(env.get(dataDirSetting));
    assertThat(SERVICES.path(service).path("read_only").asBoolean()).isTrue();
    return env;
  }

  private static List<String> advertisedListeners() {
    List<String> hostPorts = new ArrayList<>();
    for (String listener : environment("kafka").get("KAFKA_ADVERTISED_LISTENERS").split(",")) {
      hostPorts.add(listener.substring(listener.indexOf("://") + 3));
    }
    return hostPorts;
  }

  @Test
  void prometheusScrapesBothApplicationsOnTheirPortsAndLoadsTheRules() {
    Map<String, String> mounts = mounts("prometheus");
    assertThat(mounts)
        .containsEntry(
            "/etc/prometheus/prometheus.yml", "./" + Repo.ROOT.relativize(Repo.PROMETHEUS_CONFIG));
    assertThat(mounts)
        .containsEntry(
            "/etc/prometheus/rules", "./" + Repo.ROOT.relativize(Repo.RULES.getParent()));
    JsonNode config = Repo.yaml(Repo.PROMETHEUS_CONFIG);
    assertThat(config.path("rule_files").get(0).asText()).isEqualTo("/etc/prometheus/rules/*.yml");
    Map<String, List<String>> targets = new HashMap<>();
    config
        .path("scrape_configs")
        .forEach(
            job -> {
              List<String> list = new ArrayList<>();
              job.path("static_configs")
                  .forEach(s -> s.path("targets").forEach(t -> list.add(t.asText())));
              targets.put(job.path("job_name").asText(), list);
              assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
            });
    assertThat(targets).containsOnlyKeys("rumstream-streams", "rumstream-worker");
    assertThat(targets.get("rumstream-streams"))
        .containsExactly("streams-app:" + environment("streams-app").get("RUMSTREAM_HTTP_PORT"));
    assertThat(targets.get("rumstream-worker"))
        .containsExactly("worker:" + environment("worker").get("RUMSTREAM_HTTP_PORT"));
  }

  @Test
  void grafanaIsProvisionedWithThePrometheusDatasourceAndTheDashboard() {
    Map<String, String> mounts = mounts("grafana");
    String provisioning = mounts.get("/etc/grafana/provisioning");
    String dashboards = mounts.get("/var/lib/grafana/dashboards");
    assertThat(Repo.ROOT.resolve(provisioning).normalize())
        .isEqualTo(Repo.OBSERVABILITY.resolve("grafana/provisioning"));
    assertThat(Repo.ROOT.resolve(dashboards).normalize()).isEqualTo(Repo.DASHBOARD.getParent());

    JsonNode datasources =
        Repo.yaml(Repo.OBSERVABILITY.resolve("grafana/provisioning/datasources/prometheus.yml"));
    JsonNode prometheus = datasources.path("datasources").get(0);
    assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
    assertThat(prometheus.path("url").asText())
        .isEqualTo("http://prometheus:" + ports("prometheus").keySet().iterator().next());
    assertThat(DashboardTest.datasourceUids()).containsOnly(prometheus.path("uid").asText());

    JsonNode providers =
        Repo.yaml(Repo.OBSERVABILITY.resolve("grafana/provisioning/dashboards/rumstream.yml"));
    assertThat(providers.path("providers").get(0).path("options").path("path").asText())
        .isEqualTo("/var/lib/grafana/dashboards");
    assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
        .isEqualTo("/var/lib/grafana/dashboards/" + Repo.DASHBOARD.getFileName());
  }

  @Test
  void everyBindMountExistsInTheRepository() {
    SERVICES
        .fields()
        .forEachRemaining(
            service ->
                mounts(service.getKey()).values().stream()
                    .filter(source -> source.startsWith("./"))
                    .forEach(
                        source ->
                            assertThat(Repo.ROOT.resolve(source))
                                .as("%s mounts %s", service.getKey(), source)
                                .exists()));
  }
}
