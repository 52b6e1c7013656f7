package dev.rumstream.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.topics.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the contracts fit for auditors and safe to evolve: everything is documented, and every
 * topic's value schema can still read data written with its last released copy
 * (src/test/resources/released). When a release changes a schema compatibly, copy the new schema
 * there.
 */
class ContractsTest {

  static Stream<Class<? extends SpecificRecord>> contracts() {
    return Topic.all().stream().flatMap(topic -> topic.valueType().stream());
  }

  @Test
  void everyTopicButTheDeadLetterQueueHasAContract() {
    assertThat(Topic.all().stream().filter(t -> t.valueType().isEmpty()))
        .containsExactly(Topic.DELETION_REQUESTS_DLQ);
    assertThat(contracts()).hasSize(8);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void everyTypeAndFieldIsDocumented(Class<? extends SpecificRecord> contract) {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(SpecificData.get().getSchema(contract), undocumented, new HashSet<>());
    assertThat(undocumented).as("types and fields without a doc").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void staysBackwardCompatibleWithTheLastReleasedCopy(Class<? extends SpecificRecord> contract)
      throws IOException {
    Schema current = SpecificData.get().getSchema(contract);
    Schema released = released(contract.getSimpleName());
    var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released).getResult();
    assertThat(result.getCompatibility())
        .as(
            "%s must read data written with its released schema: %s",
            contract.getSimpleName(), result.getIncompatibilities())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void theCompatibilityCheckCatchesABreakingChange() throws IOException {
    Schema released = released("DeletionRequest");
    String breaking =
        released
            .toString()
            .replace(
                "\"fields\":[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\",\"doc\":\"new, without a default\"},");
    Schema withRequiredField = new Schema.Parser().parse(breaking);
    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(withRequiredField, released)
                .getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  private static Schema released(String name) throws IOException {
    try (InputStream in = ContractsTest.class.getResourceAsStream("/released/" + name + ".avsc")) {
      assertThat(in)
          .as("a released copy of %s under src/test/resources/released", name)
          .isNotNull();
      return new Schema.Parser().parse(in);
    }
  }

  private static void collectUndocumented(
      Schema schema, List<String> undocumented, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        requireDoc(schema.getDoc(), schema.getFullName(), undocumented);
        for (Schema.Field field : schema.getFields()) {
          requireDoc(field.doc(), schema.getName() + "." + field.name(), undocumented);
          collectUndocumented(field.schema(), undocumented, seen);
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName())) {
          requireDoc(schema.getDoc(), schema.getFullName(), undocumented);
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, undocumented, seen));
      case ARRAY -> collectUndocumented(schema.getElementType(), undocumented, seen);
      case MAP -> collectUndocumented(schema.getValueType(), undocumented, seen);
      default -> {}
    }
  }

  private static void requireDoc(String doc, String what, List<String> undocumented) {
    if (doc == null || doc.isBlank()) {
      undocumented.add(what);
    }
  }
}
