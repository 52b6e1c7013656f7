package dev.rumstream.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry refused or could not answer a call. A {@link SerializationException}, so
 * Kafka clients and Kafka Streams treat it like any other serde failure (for example the
 * deserialization exception handler).
 */
public class RegistryException extends SerializationException {
  private final int httpStatus;
  private final int errorCode;

  public RegistryException(String message, int httpStatus, int errorCode) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = -1;
    this.errorCode = -1;
  }

  /** The HTTP status the registry answered, or -1 when it gave none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's own error code (for example 40403 for an unknown schema id), or -1. */
  public int errorCode() {
    return errorCode;
  }
}
