package dev.rumstream.avro.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The open forget sets live in a changelogged store whose values are registered like any contract:
 * a new version of the app must read the state the old one left (and the registry refuses an
 * incompatible schema at startup).
 */
class StateSchemaTest {

  @Test
  void openForgetSetsStayReadableAcrossReleases() throws IOException {
    Schema released;
    try (InputStream in =
        StateSchemaTest.class.getResourceAsStream("/released/OpenForgetSet.avsc")) {
      assertThat(in).as("a released copy of OpenForgetSet").isNotNull();
      released = new Schema.Parser().parse(in);
    }
    var result =
        SchemaCompatibility.checkReaderWriterCompatibility(OpenForgetSet.getClassSchema(), released)
            .getResult();
    assertThat(result.getCompatibility())
        .as("%s", result.getIncompatibilities())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }
}
