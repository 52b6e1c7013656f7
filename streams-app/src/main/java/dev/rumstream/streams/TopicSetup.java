package dev.rumstream.streams;

import dev.rumstream.serde.ContractRegistration;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.topics.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the system's topics that do not exist yet, with the cleanup policies of DESIGN.md, and
 * registers their contracts ({@link ContractRegistration}). For local runs and tests; deployments
 * declare their topics (Strimzi KafkaTopic, compose's topics service) and register the contracts in
 * a step of their own ({@code rumstream schemas}).
 */
public final class TopicSetup {
  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  public static void ensure(
      Map<String, Object> adminConfig, TopicNames names, int partitions, short replicationFactor) {
    createMissing(adminConfig, names, partitions, replicationFactor);
    new ContractRegistration(new RegistryClient(RegistryConfig.from(adminConfig)))
        .registerAll(names);
  }

  private static void createMissing(
      Map<String, Object> adminConfig, TopicNames names, int partitions, short replicationFactor) {
    try (Admin admin = Admin.create(adminConfig)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      names
          .names()
          .forEach(
              (topic, name) -> {
                if (!existing.contains(name)) {
                  missing.add(
                      new NewTopic(name, partitions, replicationFactor)
                          .configs(
                              Map.of(
                                  TopicConfig.CLEANUP_POLICY_CONFIG,
                                  topic.cleanupPolicy().configValue())));
                }
              });
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Could not create the topics " + names.names().values() + ": " + e.getMessage(), e);
    }
  }
}
