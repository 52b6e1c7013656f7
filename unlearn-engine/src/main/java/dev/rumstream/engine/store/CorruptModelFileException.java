package dev.rumstream.engine.store;

import java.io.IOException;

/** A parameter file that is truncated, altered, or not one of ours; never loaded. */
public final class CorruptModelFileException extends IOException {

  public CorruptModelFileException(String message) {
    super(message);
  }
}
