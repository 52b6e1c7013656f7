package dev.rumstream.localstack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state and rules, in memory. Every public operation is synchronized: the registry
 * is small and registration must check compatibility and assign ids atomically.
 */
final class SchemaStore {

  /** A schema as the registry keeps it: parsed once, identified by its canonical text. */
  record StoredSchema(int id, String canonical, Schema parsed) {}

  /** One version of a subject, in the shape the REST API returns it. */
  record SubjectVersion(String subject, int version, int id, String schema) {}

  private final Map<String, StoredSchema> byCanonical = new HashMap<>();

  /** Index {@code id - 1}: ids are assigned densely from 1. */
  private final List<StoredSchema> byId = new ArrayList<>();

  /** Subject to the schema ids of its versions; index {@code version - 1}. */
  private final Map<String, List<Integer>> subjects = new TreeMap<>();

  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

  /**
   * Parses an Avro schema; its {@code toString()} is the canonical text the store compares and
   * returns.
   *
   * <p>Confluent identifies a schema by the parsed schema printed back ({@code Schema.toString()}):
   * formatting and attribute order do not matter, but docs, defaults and logical types do. Avro's
   * Parsing Canonical Form would drop defaults and logical types, so two schemas that resolve data
   * differently would share an id.
   */
  static Schema parse(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw RegistryException.invalidSchema("empty schema");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (RuntimeException e) {
      throw RegistryException.invalidSchema(e.getMessage());
    }
  }

  /**
   * Registers a schema under a subject and returns its global id; see Confluent's register
   * semantics.
   */
  synchronized int register(String subject, Schema schema) {
    String canonical = schema.toString();
    List<Integer> versions = subjects.getOrDefault(subject, List.of());
    for (int id : versions) {
      if (byId.get(id - 1).canonical().equals(canonical)) {
        return id;
      }
    }
    CompatibilityLevel level = effectiveLevel(subject);
    List<Schema> earlier = versions.stream().map(id -> byId.get(id - 1).parsed()).toList();
    level
        .check(schema, earlier)
        .ifPresent(
            violation -> {
              throw RegistryException.incompatible(subject, level, violation);
            });
    StoredSchema stored =
        byCanonical.computeIfAbsent(
            canonical,
            c -> {
              StoredSchema created = new StoredSchema(byId.size() + 1, c, schema);
              byId.add(created);
              return created;
            });
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(stored.id());
    return stored.id();
  }

  /** Finds the version of a subject holding this schema. */
  synchronized SubjectVersion lookup(String subject, Schema schema) {
    List<Integer> versions = existingVersions(subject);
    String canonical = schema.toString();
    for (int i = 0; i < versions.size(); i++) {
      StoredSchema stored = byId.get(versions.get(i) - 1);
      if (stored.canonical().equals(canonical)) {
        return new SubjectVersion(subject, i + 1, stored.id(), stored.canonical());
      }
    }
    throw RegistryException.schemaNotFoundUnderSubject();
  }

  synchronized Optional<String> schemaById(int id) {
    return id >= 1 && id <= byId.size()
        ? Optional.of(byId.get(id - 1).canonical())
        : Optional.empty();
  }

  synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  synchronized List<Integer> versions(String subject) {
    int count = existingVersions(subject).size();
    List<Integer> numbers = new ArrayList<>(count);
    for (int v = 1; v <= count; v++) {
      numbers.add(v);
    }
    return numbers;
  }

  /**
   * One version of a subject.
   *
   * @param version a version number, or {@code -1} for the latest
   */
  synchronized SubjectVersion version(String subject, int version) {
    List<Integer> versions = existingVersions(subject);
    int resolved = version == -1 ? versions.size() : version;
    if (resolved < 1 || resolved > versions.size()) {
      throw RegistryException.versionNotFound(version);
    }
    StoredSchema stored = byId.get(versions.get(resolved - 1) - 1);
    return new SubjectVersion(subject, resolved, stored.id(), stored.canonical());
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  synchronized void globalLevel(CompatibilityLevel level) {
    globalLevel = level;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  synchronized void subjectLevel(String subject, CompatibilityLevel level) {
    subjectLevels.put(subject, level);
  }

  private CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private List<Integer> existingVersions(String subject) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      throw RegistryException.subjectNotFound(subject);
    }
    return versions;
  }
}
