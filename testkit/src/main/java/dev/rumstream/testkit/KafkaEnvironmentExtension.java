package dev.rumstream.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place integration tests get their Kafka broker and schema registry from. In order:
 *
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL} from the environment (CI
 *       starts a real KRaft broker and Apicurio registry with {@code scripts/services.sh});
 *   <li>Testcontainers, when {@code RUMSTREAM_TEST_ENV=testcontainers} asks for it and a Docker
 *       engine exists;
 *   <li>the in-JVM local stack.
 * </ol>
 *
 * {@code RUMSTREAM_TEST_ENV=external} (or the system property {@code rumstream.test.env}) forbids
 * the fallbacks, so a CI run that lost its services fails instead of quietly testing against the
 * in-JVM stack. The choice is logged. The services are started once per JVM and shut down when the
 * test run ends.
 */
public final class KafkaEnvironmentExtension implements ParameterResolver {
  private static final Logger log = LoggerFactory.getLogger(KafkaEnvironmentExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaEnvironmentExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestEnvironment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(RunningServices.class, key -> start(), RunningServices.class)
        .environment();
  }

  private static RunningServices start() {
    String wanted =
        setting("RUMSTREAM_TEST_ENV", "rumstream.test.env", "auto").toLowerCase(Locale.ROOT);
    String bootstrap = setting("KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrap.servers", null);
    String registry = setting("SCHEMA_REGISTRY_URL", "schema.registry.url", null);
    RunningServices started =
        switch (wanted) {
          case "external" -> external(bootstrap, registry);
          case "testcontainers" ->
              ContainerServices.isDockerAvailable()
                  ? ContainerServices.start()
                  : fail("RUMSTREAM_TEST_ENV=testcontainers, but no Docker engine is reachable");
          case "in-jvm" -> inJvm();
          case "auto" ->
              bootstrap != null && registry != null ? external(bootstrap, registry) : inJvm();
          default ->
              fail(
                  "RUMSTREAM_TEST_ENV must be auto, external, testcontainers or in-jvm, not '"
                      + wanted
                      + "'");
        };
    log.warn("rumstream test environment: {}", started.environment());
    return started;
  }

  private static RunningServices external(String bootstrap, String registry) {
    if (bootstrap == null || registry == null) {
      return fail(
          "RUMSTREAM_TEST_ENV=external needs KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL "
              + "(start them with scripts/services.sh start; . .services/env)");
    }
    checkBroker(bootstrap);
    checkRegistry(registry);
    return new RunningServices(
        new TestEnvironment(TestEnvironment.Kind.EXTERNAL, bootstrap, registry), () -> {});
  }

  private static RunningServices inJvm() {
    try {
      Path dataDir = Files.createTempDirectory("rumstream-kafka-");
      var kafka = dev.rumstream.localstack.EmbeddedKafka.start(dataDir);
      var registry = dev.rumstream.localstack.EmbeddedSchemaRegistry.start(0);
      TestEnvironment environment =
          new TestEnvironment(
              TestEnvironment.Kind.IN_JVM, kafka.bootstrapServers(), registry.url());
      return new RunningServices(
          environment,
          () -> {
            try (kafka;
                registry) {
              log.info("Stopping the in-JVM local stack");
            }
          });
    } catch (IOException e) {
      throw new IllegalStateException("Could not create a data directory for the in-JVM broker", e);
    }
  }

  private static void checkBroker(String bootstrap) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "No Kafka broker answers at KAFKA_BOOTSTRAP_SERVERS=" + bootstrap, e);
    }
  }

  private static void checkRegistry(String url) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/subjects"))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      int status =
          HttpClient.newHttpClient()
              .send(request, HttpResponse.BodyHandlers.discarding())
              .statusCode();
      if (status != 200) {
        fail(
            "The schema registry at SCHEMA_REGISTRY_URL="
                + url
                + " answered HTTP "
                + status
                + " to GET /subjects");
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "No schema registry answers at SCHEMA_REGISTRY_URL=" + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while checking the schema registry at " + url, e);
    }
  }

  private static String setting(
      String environmentVariable, String systemProperty, String fallback) {
    String value = System.getProperty(systemProperty, System.getenv(environmentVariable));
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static <T> T fail(String message) {
    throw new IllegalStateException(message);
  }
}
