package dev.rumstream.engine.data;

/** A dataset's files are missing or unreadable; the message says how to get them. */
public final class DatasetUnavailableException extends RuntimeException {

  public DatasetUnavailableException(String message) {
    super(message);
  }

  public DatasetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
