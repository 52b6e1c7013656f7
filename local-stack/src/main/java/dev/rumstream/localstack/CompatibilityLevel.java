package dev.rumstream.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Confluent's compatibility levels, checked with Avro's reader/writer resolution rules. */
enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  FORWARD(false, true, false),
  FULL(true, true, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD_TRANSITIVE(false, true, true),
  FULL_TRANSITIVE(true, true, true);

  /** The new schema must be able to read data written with the old ones. */
  private final boolean newReadsOld;

  /** The old schemas must be able to read data written with the new one. */
  private final boolean oldReadsNew;

  /** Checked against every earlier version, not only the latest. */
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** One way in which the new schema cannot read, or be read by, an earlier one. */
  record Problem(boolean newSchemaIsReader, Incompatibility incompatibility) {}

  /** The incompatibilities between the new schema and one earlier version. */
  record Violation(int oldVersion, Schema oldSchema, List<Problem> problems) {}

  /**
   * Checks {@code candidate} against the earlier versions of a subject.
   *
   * @param earlierVersions the subject's schemas, version 1 first
   * @return the first violation, checking from the latest version backwards, or empty when
   *     compatible
   */
  Optional<Violation> check(Schema candidate, List<Schema> earlierVersions) {
    if (this == NONE || earlierVersions.isEmpty()) {
      return Optional.empty();
    }
    int from = transitive ? 0 : earlierVersions.size() - 1;
    for (int i = earlierVersions.size() - 1; i >= from; i--) {
      Schema old = earlierVersions.get(i);
      List<Problem> problems = new ArrayList<>();
      if (newReadsOld) {
        incompatibilities(candidate, old).forEach(x -> problems.add(new Problem(true, x)));
      }
      if (oldReadsNew) {
        incompatibilities(old, candidate).forEach(x -> problems.add(new Problem(false, x)));
      }
      if (!problems.isEmpty()) {
        return Optional.of(new Violation(i + 1, old, List.copyOf(problems)));
      }
    }
    return Optional.empty();
  }

  private static List<Incompatibility> incompatibilities(Schema reader, Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    return result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE
        ? List.of()
        : result.getIncompatibilities();
  }
}
