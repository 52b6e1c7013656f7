package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.topics.Topic;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kustomize base and its overlays render ({@code kubectl kustomize}), parse into valid
 * Kubernetes objects, and keep the invariants of a safe, observable deployment of both
 * applications.
 */
class ManifestsTest {
  static final String STREAMS = "rumstream-streams";
  static final String WORKER = "rumstream-worker";
  static final String GPU = "nvidia.com/gpu";

  static Path kustomization(String name) {
    return name.equals("base")
        ? Repo.KUBERNETES.resolve("base")
        : Repo.KUBERNETES.resolve("overlays").resolve(name);
  }

  static List<HasMetadata> objects(String overlay) {
    return Kustomize.render(kustomization(overlay)).objects();
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<GenericKubernetesResource> custom(List<HasMetadata> objects, String kind) {
    return objects.stream()
        .filter(o -> o.getKind().equals(kind))
        .map(GenericKubernetesResource.class::cast)
        .toList();
  }

  static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
    return all(objects, type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  /** The pod templates of the workloads, by workload name. */
  static Map<String, PodTemplateSpec> workloads(List<HasMetadata> objects) {
    Map<String, PodTemplateSpec> pods = new HashMap<>();
    all(objects, Deployment.class)
        .forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
    all(objects, StatefulSet.class)
        .forEach(s -> pods.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
    return pods;
  }

  /** One container of a workload, in the rendered objects its environment is looked up in. */
  record WorkloadContainer(
      String workload, PodTemplateSpec pod, Container container, List<HasMetadata> objects) {
    /** "workload/container", for assertion messages. */
    String what() {
      return workload + "/" + container.getName();
    }

    Map<String, String> env() {
      return environment(objects, container);
    }
  }

  /** Every container of every workload. */
  static List<WorkloadContainer> containers(List<HasMetadata> objects) {
    List<WorkloadContainer> containers = new ArrayList<>();
    workloads(objects)
        .forEach(
            (name, pod) ->
                pod.getSpec()
                    .getContainers()
                    .forEach(c -> containers.add(new WorkloadContainer(name, pod, c, objects))));
    return containers;
  }

  /** The pod's volume a container mounts. */
  static Volume mountedVolume(PodTemplateSpec pod, VolumeMount mount) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
  }

  /**
   * A container's environment as the application sees it: envFrom ConfigMaps, then env (literal
   * values only).
   */
  static Map<String, String> environment(List<HasMetadata> objects, Container container) {
    Map<String, String> env = new HashMap<>();
    for (EnvFromSource source : container.getEnvFrom()) {
      assertThat(source.getConfigMapRef()).as("envFrom of %s", container.getName()).isNotNull();
      ConfigMap map = named(objects, ConfigMap.class, source.getConfigMapRef().getName());
      env.putAll(map.getData());
    }
    for (EnvVar variable : container.getEnv()) {
      env.put(
          variable.getName(),
          variable.getValue() != null
              ? variable.getValue()
              : "<from " + variable.getValueFrom() + ">");
    }
    return env;
  }

  /** A test that runs once for each overlay. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest
  @ValueSource(strings = {"base", "dev", "gpu"})
  @interface EachOverlay {}

  @EachOverlay
  void rendersTheWholeSystem(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    assertThat(workloads(objects)).containsOnlyKeys(STREAMS, WORKER);
    assertThat(named(objects, StatefulSet.class, STREAMS)).isNotNull();
    assertThat(named(objects, Deployment.class, WORKER)).isNotNull();
    Set<String> kinds = new TreeSet<>();
    objects.forEach(o -> kinds.add(o.getKind()));
    assertThat(kinds)
        .contains(
            "KafkaTopic",
            "KafkaUser",
            "ScaledObject",
            "TriggerAuthentication",
            "ServiceMonitor",
            "PodMonitor",
            "PrometheusRule",
            "NetworkPolicy",
            "PodDisruptionBudget",
            "ConfigMap",
            "Service",
            "PersistentVolumeClaim");
    if (!overlay.equals("base")) {
      assertThat(objects)
          .allSatisfy(
              o ->
                  assertThat(o.getMetadata().getNamespace())
                      .as("namespace of %s %s", o.getKind(), o.getMetadata().getName())
                      .isNotBlank());
    }
  }

  @EachOverlay
  void everyContainerIsProbedOnTheHealthEndpointsOfItsHttpPort(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    workloads(objects)
        .forEach(
            (name, pod) ->
                assertThat(pod.getSpec().getInitContainers())
                    .as("%s waits for the contracts of its release, and for nothing else", name)
                    .singleElement()
                    .satisfies(init -> assertChecksTheContracts(objects, init)));
    for (WorkloadContainer each : containers(objects)) {
      Container container = each.container();
      String what = each.what();
      Map<String, String> env = each.env();
      assertThat(env).as("%s sets its HTTP port", what).containsKey("RUMSTREAM_HTTP_PORT");
      int httpPort = Integer.parseInt(env.get("RUMSTREAM_HTTP_PORT"));
      assertThat(container.getPorts())
          .as("ports of %s", what)
          .anySatisfy(
              p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(httpPort);
              });
      assertProbe(what + " liveness", container.getLivenessProbe(), "/health/live");
      assertProbe(what + " readiness", container.getReadinessProbe(), "/health/ready");
      if (container.getStartupProbe() != null) {
        assertProbe(what + " startup", container.getStartupProbe(), "/health/live");
      }
    }
  }

  private static void assertProbe(String what, Probe probe, String path) {
    assertThat(probe).as(what).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get).as(what + " is an HTTP GET").isNotNull();
    assertThat(get.getPath()).as(what + " path").isEqualTo(path);
    assertThat(get.getPort().getStrVal()).as(what + " port").isEqualTo("http");
  }

  @EachOverlay
  void everyVariableNamesASettingTheApplicationReads(String overlay) {
    for (WorkloadContainer each : containers(objects(overlay))) {
      String name = each.workload();
      java.util.Properties defaults =
          name.equals(STREAMS) ? KnownSettings.streamsDefaults() : KnownSettings.workerDefaults();
      Map<String, String> env = each.env();
      assertThat(KnownSettings.unknown(env, defaults))
          .as("%s: settings of %s", overlay, name)
          .isEmpty();
      assertThat(env.get("RUMSTREAM_HTTP_PORT"))
          .as("%s: HTTP port of %s", overlay, name)
          .isEqualTo(defaults.getProperty("rumstream.http.port"));
    }
  }

  @EachOverlay
  void podsRunAsNonRootOnAReadOnlyRootWithoutCapabilities(String overlay) {
    workloads(objects(overlay))
        .forEach(
            (name, pod) -> {
              PodSecurityContext podSecurity = pod.getSpec().getSecurityContext();
              assertThat(podSecurity).as("pod securityContext of %s", name).isNotNull();
              assertThat(podSecurity.getRunAsNonRoot()).as("runAsNonRoot of %s", name).isTrue();
              assertThat(podSecurity.getRunAsUser())
                  .as("runAsUser of %s (the images' USER)", name)
                  .isEqualTo(10001L);
              assertThat(pod.getSpec().getEnableServiceLinks())
                  .as(
                      "enableServiceLinks of %s: service links inject *_PORT variables the settings would read",
                      name)
                  .isFalse();
              Set<String> emptyDirs = new TreeSet<>();
              pod.getSpec().getVolumes().stream()
                  .filter(v -> v.getEmptyDir() != null)
                  .map(Volume::getName)
                  .forEach(emptyDirs::add);
              for (Container container : pod.getSpec().getContainers()) {
                String what = name + "/" + container.getName();
                SecurityContext security = container.getSecurityContext();
                assertThat(security).as("securityContext of %s", what).isNotNull();
                assertThat(security.getReadOnlyRootFilesystem())
                    .as("readOnlyRootFilesystem of %s", what)
                    .isTrue();
                assertThat(security.getAllowPrivilegeEscalation())
                    .as("allowPrivilegeEscalation of %s", what)
                    .isFalse();
                assertThat(
                        Optional.ofNullable(security.getRunAsNonRoot())
                            .orElse(podSecurity.getRunAsNonRoot()))
                    .as("runAsNonRoot of %s", what)
                    .isTrue();
                assertThat(security.getCapabilities().getDrop())
                    .as("dropped capabilities of %s", what)
                    .contains("ALL");
                assertThat(security.getCapabilities().getAdd())
                    .as("added capabilities of %s", what)
                    .isEmpty();
                assertThat(container.getVolumeMounts())
                    .as("%s writes /tmp on an emptyDir", what)
                    .anySatisfy(
                        m -> {
                          assertThat(m.getMountPath()).isEqualTo("/tmp");
                          assertThat(emptyDirs).contains(m.getName());
                        });
              }
            });
  }

  @EachOverlay
  void everyContainerHasResourceRequestsAndAMemoryLimit(String overlay) {
    for (WorkloadContainer each : containers(objects(overlay))) {
      String what = each.what();
      Map<String, Quantity> requests = each.container().getResources().getRequests();
      Map<String, Quantity> limits = each.container().getResources().getLimits();
      assertThat(requests).as("requests of %s", what).containsKeys("cpu", "memory");
      assertThat(limits).as("limits of %s", what).containsKeys("memory");
      assertThat(Quantity.getAmountInBytes(limits.get("memory")))
          .as("memory limit of %s is at least its request", what)
          .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
    }
  }

  @EachOverlay
  void onlyTheGpuOverlayAsksForAGpuAndOnlyForTheWorker(String overlay) {
    Map<String, PodTemplateSpec> workloads = workloads(objects(overlay));
    workloads.forEach(
        (name, pod) -> {
          boolean wantsGpu = overlay.equals("gpu") && name.equals(WORKER);
          for (Container container : pod.getSpec().getContainers()) {
            String what = overlay + ": " + name + "/" + container.getName();
            if (wantsGpu) {
              assertThat(container.getResources().getLimits())
                  .as("GPU limit of %s", what)
                  .containsKey(GPU);
              assertThat(container.getResources().getLimits().get(GPU).getAmount())
                  .as(what)
                  .isEqualTo("1");
              assertThat(container.getImage()).as("image of %s", what).endsWith("-cuda");
            } else {
              assertThat(container.getResources().getLimits())
                  .as("limits of %s", what)
                  .doesNotContainKey(GPU);
              assertThat(container.getResources().getRequests())
                  .as("requests of %s", what)
                  .doesNotContainKey(GPU);
              assertThat(container.getImage()).as("image of %s", what).doesNotContain("cuda");
            }
          }
          String scheduling =
              String.valueOf(pod.getSpec().getNodeSelector()) + pod.getSpec().getTolerations();
          if (wantsGpu) {
            assertThat(pod.getSpec().getNodeSelector())
                .as("GPU node selector")
                .containsKey("nvidia.com/gpu.present");
            assertThat(pod.getSpec().getTolerations())
                .as("GPU toleration")
                .anySatisfy(t -> assertThat(t.getKey()).isEqualTo(GPU));
          } else {
            assertThat(scheduling)
                .as("%s: %s is not tied to GPU nodes", overlay, name)
                .doesNotContain("nvidia");
          }
        });
  }

  @EachOverlay
  void everyTopicIsAKafkaTopicWithItsCleanupPolicy(String overlay) {
    List<GenericKubernetesResource> topics = custom(objects(overlay), "KafkaTopic");
    Map<String, GenericKubernetesResource> byName = new HashMap<>();
    for (GenericKubernetesResource topic : topics) {
      assertThat(topic.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
      assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "rumstream");
      String name =
          Objects.requireNonNullElse(topic.get("spec", "topicName"), topic.getMetadata().getName());
      byName.put(name, topic);
    }
    assertThat(byName.keySet())
        .as("KafkaTopics of %s", overlay)
        .containsExactlyInAnyOrderElementsOf(Topic.all().stream().map(Topic::defaultName).toList());
    for (Topic<?, ?> topic : Topic.all()) {
      GenericKubernetesResource declared = byName.get(topic.defaultName());
      assertThat((String) declared.get("spec", "config", "cleanup.policy"))
          .as("cleanup.policy of %s", topic)
          .isEqualTo(topic.cleanupPolicy().configValue());
      assertThat(((Number) declared.get("spec", "partitions")).intValue())
          .as("partitions of %s", topic)
          .isPositive();
    }
    assertThat(retentionMs(byName.get(Topic.DELETION_REQUESTS_DLQ.defaultName())))
        .as("the DLQ keeps a short retention")
        .isPositive()
        .isLessThanOrEqualTo(14L * 24 * 3600 * 1000);
    assertThat(retentionMs(byName.get(Topic.MODEL_VERSIONS.defaultName())))
        .as("model versions are kept long (-1: forever)")
        .satisfiesAnyOf(
            r -> assertThat(r).isEqualTo(-1L),
            r -> assertThat(r).isGreaterThanOrEqualTo(365L * 24 * 3600 * 1000));
  }

  /** Each user's ACLs as "type:name:operation" entries (a prefix name ends with '*'). */
  @SuppressWarnings("unchecked")
  private static Set<String> acls(GenericKubernetesResource user) {
    assertThat((String) user.get("spec", "authorization", "type")).isEqualTo("simple");
    Set<String> entries = new TreeSet<>();
    for (Map<String, Object> acl :
        (List<Map<String, Object>>) user.get("spec", "authorization", "acls")) {
      Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
      String name =
          resource.get("name") + ("prefix".equals(resource.get("patternType")) ? "*" : "");
      for (Object operation : (List<Object>) acl.get("operations")) {
        entries.add(resource.get("type") + ":" + name + ":" + operation);
      }
    }
    return entries;
  }

  @EachOverlay
  void eachKafkaUserMayTouchOnlyWhatItsApplicationUses(String overlay) {
    Map<String, Set<String>> byUser = new HashMap<>();
    for (GenericKubernetesResource user : custom(objects(overlay), "KafkaUser")) {
      byUser.put(user.getMetadata().getName(), acls(user));
    }
    Set<String> streams = byUser.get("rumstream-streams");
    Set<String> worker = byUser.get("rumstream-worker");
    Set<String> catalogue = new TreeSet<>();
    Topic.all().forEach(t -> catalogue.add(t.defaultName()));
    for (Set<String> acls : List.of(streams, worker)) {
      assertThat(acls)
          .allSatisfy(
              acl -> {
                String[] parts = acl.split(":");
                if (parts[0].equals("topic") && !parts[1].endsWith("*")) {
                  assertThat(catalogue).as("topic of %s", acl).contains(parts[1]);
                }
              })
          .noneMatch(acl -> acl.startsWith("cluster:"));
    }
    // Raw subject ids live on deletion-requests and its DLQ: only the streams app reaches them.
    assertThat(worker).noneMatch(acl -> acl.contains(":deletion-requests"));
    assertThat(streams)
        .contains(
            "topic:deletion-requests:Read",
            "topic:deletion-requests-dlq:Write",
            "group:rumstream-streams:Read",
            "transactionalId:rumstream-streams-*:Write")
        .doesNotContain("topic:deletion-requests-dlq:Read", "topic:model-versions:Write");
    assertThat(worker)
        .contains(
            "topic:unlearn-jobs:Read",
            "topic:model-versions:Write",
            "topic:deletion-receipts:Write",
            "group:rumstream-worker:Read",
            "transactionalId:rumstream-worker-*:Write")
        .doesNotContain("topic:unlearn-jobs:Write", "topic:forget-sets:Read");
    // Together the two users cover every topic of the catalogue.
    Set<String> touched = new TreeSet<>();
    for (Set<String> acls : List.of(streams, worker)) {
      acls.stream().filter(a -> a.startsWith("topic:")).forEach(a -> touched.add(a.split(":")[1]));
    }
    assertThat(touched).containsAll(catalogue);
  }

  static long retentionMs(GenericKubernetesResource topic) {
    Object value = topic.get("spec", "config", "retention.ms");
    assertThat(value).as("retention.ms of %s", topic.getMetadata().getName()).isNotNull();
    return Long.parseLong(value.toString());
  }

  @EachOverlay
  void theStreamsAppKeepsItsStateOnAPerInstanceVolumeAndTheWorkerItsModelsOnAClaim(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    StatefulSet streams = named(objects, StatefulSet.class, STREAMS);
    Container app = streams.getSpec().getTemplate().getSpec().getContainers().get(0);
    String stateDir = environment(objects, app).get("KAFKA_STATE_DIR");
    assertThat(stateDir).as("state.dir of the streams app").isNotBlank();
    Set<String> claimTemplates = new TreeSet<>();
    streams
        .getSpec()
        .getVolumeClaimTemplates()
        .forEach(c -> claimTemplates.add(c.getMetadata().getName()));
    assertThat(app.getVolumeMounts())
        .as("state.dir is mounted from a volumeClaimTemplate")
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo(stateDir);
              assertThat(claimTemplates).contains(m.getName());
            });
    assertThat(environment(objects, app).get("KAFKA_APPLICATION_SERVER"))
        .as("application.server")
        .contains("$(POD_NAME)." + streams.getSpec().getServiceName());
    assertThat(environment(objects, app).get("KAFKA_GROUP_INSTANCE_ID"))
        .as("static group membership, one id per pod (a killed pod takes its partitions back)")
        .isEqualTo("$(POD_NAME)");

    Deployment worker = named(objects, Deployment.class, WORKER);
    Container engine = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
    String store = environment(objects, engine).get("RUMSTREAM_MODEL_STORE");
    assertThat(store).isEqualTo("/var/lib/rumstream/models");
    VolumeMount storeMount =
        engine.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(store))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the model store " + store + " is not mounted"));
    Volume volume = mountedVolume(worker.getSpec().getTemplate(), storeMount);
    assertThat(volume.getPersistentVolumeClaim())
        .as("the model store is a PersistentVolumeClaim")
        .isNotNull();
    named(objects, PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
  }

  @EachOverlay
  void kafkaIsReachedOverSaslScramAndTlsWithCredentialsFromSecrets(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    for (WorkloadContainer each : containers(objects)) {
      Container container = each.container();
      String what = each.what();
      Map<String, String> env = each.env();
      assertThat(env)
          .as("Kafka security of %s", what)
          .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
          .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
          .containsKeys(
              "KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "KAFKA_SSL_TRUSTSTORE_LOCATION");
      for (String secret : List.of("KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_PASSWORD")) {
        EnvVar variable =
            container.getEnv().stream()
                .filter(e -> e.getName().equals(secret))
                .findFirst()
                .orElseThrow(() -> new AssertionError(what + " does not set " + secret));
        assertThat(variable.getValueFrom().getSecretKeyRef())
            .as("%s of %s comes from a Secret", secret, what)
            .isNotNull();
      }
      String truststore = env.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
      VolumeMount mount =
          container.getVolumeMounts().stream()
              .filter(m -> truststore.startsWith(m.getMountPath() + "/"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the truststore " + truststore + " of " + what + " is not mounted"));
      Volume volume = mountedVolume(each.pod(), mount);
      assertThat(volume.getSecret())
          .as("the truststore of %s comes from a Secret", what)
          .isNotNull();
    }
    for (ConfigMap map : all(objects, ConfigMap.class)) {
      assertThat(map.getData().keySet())
          .as("ConfigMap %s holds no secret", map.getMetadata().getName())
          .noneMatch(key -> key.matches("(?i).*(PASSWORD|JAAS|SECRET|HASH_KEY|USER_INFO).*"));
    }
  }

  @EachOverlay
  void kedaScalesTheWorkersOnTheLagOfTheirGroupOnUnlearnJobs(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    List<GenericKubernetesResource> scaled = custom(objects, "ScaledObject");
    assertThat(scaled).hasSize(1);
    GenericKubernetesResource scaledObject = scaled.get(0);
    assertThat((String) scaledObject.get("spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
    assertThat((String) scaledObject.get("spec", "scaleTargetRef", "name")).isEqualTo(WORKER);
    Map<String, Object> trigger = scaledObject.get("spec", "triggers", 0);
    assertThat(trigger).containsEntry("type", "kafka");
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
    Container worker =
        named(objects, Deployment.class, WORKER)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    Map<String, String> env = environment(objects, worker);
    assertThat(metadata)
        .containsEntry("consumerGroup", "rumstream-worker")
        .containsEntry("consumerGroup", env.get("KAFKA_GROUP_ID"))
        .containsEntry("topic", Topic.UNLEARN_JOBS.defaultName())
        .containsEntry("bootstrapServers", env.get("KAFKA_BOOTSTRAP_SERVERS"))
        .containsEntry("sasl", "scram_sha512")
        .containsEntry("tls", "enable");
    int partitions =
        custom(objects, "KafkaTopic").stream()
            .filter(t -> t.getMetadata().getName().equals(Topic.UNLEARN_JOBS.defaultName()))
            .map(t -> ((Number) t.get("spec", "partitions")).intValue())
            .findFirst()
            .orElseThrow();
    assertThat(((Number) scaledObject.get("spec", "maxReplicaCount")).intValue())
        .as("more workers than partitions of unlearn-jobs would sit idle")
        .isBetween(1, partitions);
    String authentication = scaledObject.get("spec", "triggers", 0, "authenticationRef", "name");
    assertThat(custom(objects, "TriggerAuthentication"))
        .anySatisfy(t -> assertThat(t.getMetadata().getName()).isEqualTo(authentication));
    assertThat(worker.getEnv())
        .as("each worker pod has its own identity (transactional id)")
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("RUMSTREAM_WORKER_ID");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            });
  }

  @EachOverlay
  void everyWorkloadIsScrapedGuardedByADisruptionBudgetAndANetworkPolicy(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    workloads(objects)
        .forEach(
            (name, pod) -> {
              Map<String, String> labels = pod.getMetadata().getLabels();
              assertThat(all(objects, PodDisruptionBudget.class))
                  .as("PodDisruptionBudget of %s", name)
                  .anySatisfy(
                      pdb ->
                          assertThat(labels)
                              .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
              List<NetworkPolicy> policies =
                  all(objects, NetworkPolicy.class).stream()
                      .filter(
                          p ->
                              labels
                                  .entrySet()
                                  .containsAll(
                                      p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                      .toList();
              Container container = pod.getSpec().getContainers().get(0);
              Map<String, String> env = environment(objects, container);
              int api = port(container, "http");
              int metrics = port(container, "metrics");
              assertThat(metrics)
                  .as("%s serves metrics on a port of their own", name)
                  .isEqualTo(Integer.parseInt(env.get("RUMSTREAM_METRICS_PORT")))
                  .isNotEqualTo(api);
              assertThat(policies).as("NetworkPolicies selecting %s", name).isNotEmpty();
              List<NetworkPolicyIngressRule> ingress =
                  policies.stream().flatMap(p -> p.getSpec().getIngress().stream()).toList();
              assertThat(ingress)
                  .as("who reaches %s, and on which port", name)
                  .allSatisfy(
                      rule -> {
                        assertThat(rule.getPorts()).hasSize(1);
                        int port = rule.getPorts().get(0).getPort().getIntVal();
                        assertThat(port).isIn(api, metrics);
                        assertThat(rule.getFrom())
                            .isNotEmpty()
                            .allSatisfy(
                                peer -> {
                                  if (port == api) {
                                    assertThat(peer.getNamespaceSelector()).isNull();
                                    assertThat(peer.getPodSelector().getMatchLabels())
                                        .as("the API only to labelled clients and the app's peers")
                                        .isIn(
                                            Map.of("rumstream.dev/api-client", "true"),
                                            Map.of("app.kubernetes.io/name", STREAMS));
                                  } else {
                                    assertThat(peer.getPodSelector()).isNull();
                                    assertThat(peer.getNamespaceSelector().getMatchLabels())
                                        .as("metrics only to the monitoring namespace")
                                        .containsExactly(
                                            Map.entry("kubernetes.io/metadata.name", "monitoring"));
                                  }
                                });
                      })
                  .hasSize(2);
              List<String> scraped = new ArrayList<>();
              Map.of("ServiceMonitor", "endpoints", "PodMonitor", "podMetricsEndpoints")
                  .forEach(
                      (kind, endpoints) ->
                          custom(objects, kind).stream()
                              .filter(
                                  m ->
                                      name.equals(
                                          m.get(
                                              "spec",
                                              "selector",
                                              "matchLabels",
                                              "app.kubernetes.io/name")))
                              .forEach(
                                  m ->
                                      scraped.add(
                                          m.<List<Map<String, Object>>>get("spec", endpoints)
                                              .get(0)
                                              .get("port")
                                              .toString())));
              assertThat(scraped)
                  .as("a ServiceMonitor or PodMonitor scrapes %s on its metrics port", name)
                  .containsExactly("metrics");
            });
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name))
        .getContainerPort();
  }

  /** An init container that runs {@code rumstream schemas --check} on the streams app's image. */
  private static void assertChecksTheContracts(List<HasMetadata> objects, Container init) {
    assertThat(init.getImage()).isEqualTo(streamsImage(objects));
    assertThat(init.getArgs()).containsExactly("schemas", "--check");
    assertThat(environment(objects, init)).containsKey("SCHEMA_REGISTRY_URL");
    assertRestricted(init.getName(), init);
  }

  private static String streamsImage(List<HasMetadata> objects) {
    return workloads(objects).get(STREAMS).getSpec().getContainers().get(0).getImage();
  }

  private static void assertRestricted(String what, Container container) {
    SecurityContext security = container.getSecurityContext();
    assertThat(security).as("securityContext of %s", what).isNotNull();
    assertThat(security.getReadOnlyRootFilesystem()).as("read-only root of %s", what).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).as("escalation of %s", what).isFalse();
    assertThat(security.getCapabilities().getDrop()).as("capabilities of %s", what).contains("ALL");
    assertThat(container.getResources().getLimits()).as("limits of %s", what).containsKey("memory");
  }

  @EachOverlay
  void theBearerTokenAndTheAuditKeyComeFromSecrets(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    Map<String, String> secretOf =
        Map.of(
            "RUMSTREAM_HTTP_AUTH_TOKEN", "rumstream-http-token",
            "RUMSTREAM_AUDIT_KEY", "rumstream-audit-key");
    for (WorkloadContainer each : containers(objects)) {
      secretOf.forEach(
          (variable, secret) -> {
            EnvVar value =
                each.container().getEnv().stream()
                    .filter(e -> e.getName().equals(variable))
                    .findFirst()
                    .orElseThrow(
                        () -> new AssertionError(each.what() + " does not set " + variable));
            assertThat(value.getValueFrom().getSecretKeyRef().getName())
                .as("%s of %s comes from a Secret", variable, each.what())
                .isEqualTo(secret);
          });
    }
  }

  @EachOverlay
  void deployStepsRegisterTheContractsAndBootstrapVersionZeroIntoTheWorkersStore(String overlay) {
    List<HasMetadata> objects = objects(overlay);
    Map<String, Job> jobs = new HashMap<>();
    all(objects, Job.class).forEach(j -> jobs.put(j.getMetadata().getName(), j));
    assertThat(jobs).containsOnlyKeys("rumstream-schemas", "rumstream-bootstrap");

    Container schemas =
        jobs.get("rumstream-schemas").getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(schemas.getImage()).isEqualTo(streamsImage(objects));
    assertThat(schemas.getArgs()).containsExactly("schemas");
    assertThat(environment(objects, schemas)).containsKey("SCHEMA_REGISTRY_URL");
    assertRestricted("rumstream-schemas", schemas);

    PodTemplateSpec bootstrapPod = jobs.get("rumstream-bootstrap").getSpec().getTemplate();
    assertThat(bootstrapPod.getSpec().getInitContainers())
        .as("the bootstrap publishes only after the contracts are registered")
        .singleElement()
        .satisfies(init -> assertChecksTheContracts(objects, init));
    Container bootstrap = bootstrapPod.getSpec().getContainers().get(0);
    PodTemplateSpec workerPod = workloads(objects).get(WORKER);
    Container worker = workerPod.getSpec().getContainers().get(0);
    assertThat(bootstrap.getImage()).as("the worker's own image").isEqualTo(worker.getImage());
    assertThat(bootstrap.getArgs()).startsWith("train", "--model-id");
    Map<String, String> env = environment(objects, bootstrap);
    assertThat(KnownSettings.unknown(env, KnownSettings.workerDefaults())).isEmpty();
    String store = env.get("RUMSTREAM_MODEL_STORE");
    assertThat(store).isEqualTo(environment(objects, worker).get("RUMSTREAM_MODEL_STORE"));
    VolumeMount mount =
        bootstrap.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(store))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the bootstrap does not mount " + store));
    VolumeMount workerMount =
        worker.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(store))
            .findFirst()
            .orElseThrow();
    assertThat(mountedVolume(bootstrapPod, mount).getPersistentVolumeClaim().getClaimName())
        .as("the same claim as the workers'")
        .isEqualTo(mountedVolume(workerPod, workerMount).getPersistentVolumeClaim().getClaimName());
    assertThat(bootstrap.getEnv())
        .as("Kafka credentials from the worker's Secret")
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("KAFKA_SASL_JAAS_CONFIG");
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("rumstream-worker");
            });
    assertRestricted("rumstream-bootstrap", bootstrap);

    for (Job job : jobs.values()) {
      Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
      assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
          .isTrue();
      assertThat(all(objects, NetworkPolicy.class))
          .as("a NetworkPolicy lets %s out to Kafka and the registry", job.getMetadata().getName())
          .anySatisfy(
              p -> {
                assertThat(labels.entrySet())
                    .containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet());
                assertThat(p.getSpec().getIngress()).isEmpty();
                assertThat(p.getSpec().getEgress()).hasSize(3);
              });
    }
  }

  @EachOverlay
  void theDashboardShipsAsAConfigMapForGrafanasSidecar(String overlay) {
    ConfigMap dashboard = named(objects(overlay), ConfigMap.class, "rumstream-grafana-dashboard");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData()).containsEntry("rumstream.json", Repo.read(Repo.DASHBOARD));
  }
}
