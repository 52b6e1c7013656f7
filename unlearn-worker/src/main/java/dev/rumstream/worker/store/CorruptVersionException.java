package dev.rumstream.worker.store;

/** A stored version's files are missing, truncated, altered or inconsistent with its manifest. */
public final class CorruptVersionException extends RuntimeException {
  public CorruptVersionException(String message) {
    super(message);
  }

  public CorruptVersionException(String message, Throwable cause) {
    super(message, cause);
  }
}
