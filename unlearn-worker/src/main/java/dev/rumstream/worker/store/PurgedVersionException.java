package dev.rumstream.worker.store;

/** A version whose parameters were deleted because it learned from data deleted since. */
public final class PurgedVersionException extends IllegalStateException {
  PurgedVersionException(String message) {
    super(message);
  }
}
