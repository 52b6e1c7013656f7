package dev.rumstream.localstack;

import java.util.List;
import java.util.stream.Collectors;

/** A failed registry request, carrying Confluent's numeric error code and message. */
final class RegistryException extends RuntimeException {

  private final int errorCode;

  private RegistryException(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  /**
   * The HTTP status: Confluent's error codes are the status itself, or the status followed by two
   * digits (40401 is a 404).
   */
  int status() {
    return errorCode < 1000 ? errorCode : errorCode / 100;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(40401, "Subject '" + subject + "' not found.");
  }

  static RegistryException versionNotFound(int version) {
    return new RegistryException(40402, "Version " + version + " not found.");
  }

  static RegistryException schemaNotFound(String id) {
    return new RegistryException(40403, "Schema " + id + " not found");
  }

  static RegistryException schemaNotFoundUnderSubject() {
    return new RegistryException(40403, "Schema not found");
  }

  static RegistryException subjectLevelConfigNotFound(String subject) {
    return new RegistryException(
        40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static RegistryException routeNotFound() {
    return new RegistryException(404, "HTTP 404 Not Found");
  }

  static RegistryException methodNotAllowed() {
    return new RegistryException(405, "HTTP 405 Method Not Allowed");
  }

  static RegistryException badRequest(String detail) {
    return new RegistryException(400, detail);
  }

  static RegistryException invalidSchema(String detail) {
    return new RegistryException(42201, "Invalid schema: " + detail);
  }

  static RegistryException invalidVersion(String version) {
    return new RegistryException(
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  static RegistryException invalidCompatibilityLevel() {
    return new RegistryException(
        42203,
        "Invalid compatibility level. Valid values are none, backward, "
            + "forward, full, backward_transitive, forward_transitive, and full_transitive");
  }

  static RegistryException internal(String detail) {
    return new RegistryException(50001, "Error in the registry: " + detail);
  }

  /** Confluent's 409, with details in the shape its registry prints them. */
  static RegistryException incompatible(
      String subject, CompatibilityLevel level, CompatibilityLevel.Violation violation) {
    List<String> details =
        violation.problems().stream().map(RegistryException::describe).collect(Collectors.toList());
    details.add("{oldSchemaVersion: " + violation.oldVersion() + "}");
    details.add("{oldSchema: '" + violation.oldSchema() + "'}");
    details.add("{compatibility: '" + level + "'}");
    return new RegistryException(
        409,
        "Schema being registered is incompatible with an earlier schema for "
            + "subject \""
            + subject
            + "\", details: ["
            + String.join(", ", details)
            + "]");
  }

  private static String describe(CompatibilityLevel.Problem problem) {
    var x = problem.incompatibility();
    String reader = problem.newSchemaIsReader() ? "new" : "old";
    String writer = problem.newSchemaIsReader() ? "old" : "new";
    return "{errorType:'"
        + x.getType()
        + "', description:'The "
        + reader
        + " schema cannot read data written "
        + "with the "
        + writer
        + " schema at path '"
        + x.getLocation()
        + "': "
        + x.getMessage()
        + "', additionalInfo:'"
        + x.getMessage()
        + "'}";
  }
}
