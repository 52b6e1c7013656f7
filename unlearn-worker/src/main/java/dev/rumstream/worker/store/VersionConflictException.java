package dev.rumstream.worker.store;

/** Another writer stored the same version first. */
public final class VersionConflictException extends RuntimeException {
  public VersionConflictException(String message) {
    super(message);
  }
}
