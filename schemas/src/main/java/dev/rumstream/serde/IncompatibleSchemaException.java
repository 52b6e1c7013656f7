package dev.rumstream.serde;

/**
 * The registry refused a new schema version as incompatible with the subject's compatibility level
 * (HTTP 409).
 */
public class IncompatibleSchemaException extends RegistryException {
  public IncompatibleSchemaException(String message) {
    super(message, 409, 409);
  }
}
