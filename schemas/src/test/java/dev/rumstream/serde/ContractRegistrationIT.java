package dev.rumstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.SampleRecords;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deploy step that registers the contracts, against a real registry. */
@ExtendWith(KafkaEnvironmentExtension.class)
class ContractRegistrationIT {

  @Test
  void registersEveryContractBackwardCompatibleAndIsIdempotent(TestEnvironment environment) {
    TopicNames names =
        TopicNames.of(TopicNames.suffixedSettings(environment.uniqueTopic("-registration")));
    RegistryClient registry = new RegistryClient(RegistryConfig.from(environment.clientConfig()));
    ContractRegistration registration = new ContractRegistration(registry);

    assertThat(registration.problems(names))
        .as("before the step, every contract is missing")
        .hasSize((int) Topic.all().stream().filter(t -> t.valueType().isPresent()).count())
        .allSatisfy(problem -> assertThat(problem).endsWith("schema is not registered"));

    List<ContractRegistration.Registered> first = registration.registerAll(names);

    assertThat(registration.problems(names)).as("after the step").isEmpty();

    long avroTopics = Topic.all().stream().filter(t -> t.valueType().isPresent()).count();
    assertThat(first).hasSize((int) avroTopics);
    for (ContractRegistration.Registered registered : first) {
      assertThat(registry.compatibility(registered.subject()))
          .as(registered.subject())
          .isEqualTo("BACKWARD");
      assertThat(registered.latest().id()).isEqualTo(registered.id());
      assertThat(registered.latest().version()).isEqualTo(1);
    }
    assertThat(new ContractRegistration(fresh(environment)).registerAll(names))
        .as("a second run changes nothing")
        .isEqualTo(first);

    String requests = names.name(Topic.DELETION_REQUESTS) + "-value";
    registry.setCompatibility(requests, "NONE");
    assertThat(registration.problems(names))
        .containsExactly(requests + ": compatibility NONE, not BACKWARD");
  }

  @Test
  void withoutAutoRegistrationAProducerNeedsTheStepAndTheRegistryGuardsCompatibility(
      TestEnvironment environment) {
    TopicNames names =
        TopicNames.of(TopicNames.suffixedSettings(environment.uniqueTopic("-no-auto")));
    String topic = names.name(Topic.DELETION_RECEIPTS);
    Map<String, Object> noAuto = new HashMap<>(environment.clientConfig());
    noAuto.put(RegistryConfig.AUTO_REGISTER_SCHEMAS, "false");
    DeletionReceipt receipt = SampleRecords.deletionReceipt();

    AvroSerializer<DeletionReceipt> before = new AvroSerializer<>();
    before.configure(noAuto, false);
    assertThatThrownBy(() -> before.serialize(topic, receipt))
        .isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining(topic + "-value");

    new ContractRegistration(fresh(environment)).registerAll(names);
    AvroSerializer<DeletionReceipt> after = new AvroSerializer<>();
    after.configure(noAuto, false);
    assertThat(after.serialize(topic, receipt)).startsWith(0);

    Schema breaking =
        SchemaVariants.withExtraField(
            DeletionReceipt.getClassSchema(), "tenant", "\"string\"", null);
    assertThatThrownBy(() -> fresh(environment).register(topic + "-value", breaking))
        .isInstanceOf(IncompatibleSchemaException.class);
  }

  private static RegistryClient fresh(TestEnvironment environment) {
    return new RegistryClient(RegistryConfig.from(environment.clientConfig()));
  }
}
