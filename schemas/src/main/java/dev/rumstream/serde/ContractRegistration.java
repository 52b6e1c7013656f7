package dev.rumstream.serde;

import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The deploy step that registers every topic contract: for each Avro topic value, the subject
 * {@code <topic>-value} gets compatibility BACKWARD and this release's schema. The services run
 * with {@code auto.register.schemas=false} outside the embedded default, so a schema reaches the
 * registry only through this step (and the registry's compatibility check), never as a side effect
 * of a producer starting.
 */
public final class ContractRegistration {
  public static final String COMPATIBILITY = "BACKWARD";

  /**
   * One subject as registered: this release's schema id, and the subject's latest version (a newer
   * release may have registered a later one).
   */
  public record Registered(String subject, int id, RegistryClient.RegisteredSchema latest) {}

  private final RegistryClient registry;

  public ContractRegistration(RegistryClient registry) {
    this.registry = registry;
  }

  /**
   * Sets BACKWARD and registers the contract of every Avro topic under its configured name;
   * idempotent (a schema already registered keeps its id and version). A schema that breaks
   * compatibility with the registered one fails with {@link IncompatibleSchemaException}.
   */
  public List<Registered> registerAll(TopicNames names) {
    List<Registered> registered = new ArrayList<>();
    contracts(names)
        .forEach(
            (subject, schema) -> {
              registry.setCompatibility(subject, COMPATIBILITY);
              int id = registry.register(subject, schema);
              registered.add(new Registered(subject, id, registry.latest(subject)));
            });
    return List.copyOf(registered);
  }

  /**
   * What keeps a service of this release from writing (a check before it starts, changing nothing):
   * each subject that lacks this release's schema or compatibility BACKWARD, with the reason; empty
   * when the deploy step has run.
   */
  public List<String> problems(TopicNames names) {
    List<String> problems = new ArrayList<>();
    contracts(names)
        .forEach(
            (subject, schema) -> {
              try {
                registry.lookup(subject, schema);
                String level = registry.compatibility(subject);
                if (!COMPATIBILITY.equals(level)) {
                  problems.add(subject + ": compatibility " + level + ", not " + COMPATIBILITY);
                }
              } catch (SchemaNotFoundException e) {
                problems.add(subject + ": this release's schema is not registered");
              }
            });
    return List.copyOf(problems);
  }

  /** Subject -> schema of every Avro topic value, in the catalogue's order. */
  private static Map<String, Schema> contracts(TopicNames names) {
    Map<String, Schema> contracts = new LinkedHashMap<>();
    for (Topic<?, ?> topic : Topic.all()) {
      topic
          .valueType()
          .ifPresent(
              type ->
                  contracts.put(names.name(topic) + "-value", SpecificData.get().getSchema(type)));
    }
    return contracts;
  }
}
