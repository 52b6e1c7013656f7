package dev.rumstream.serde;

/** The registry knows no such schema id (40403), subject (40401) or version (40402). */
public class SchemaNotFoundException extends RegistryException {
  public SchemaNotFoundException(String message, int errorCode) {
    super(message, 404, errorCode);
  }
}
