package dev.rumstream.serde;

/** No configured registry URL answered within the bounded retries. */
public class RegistryUnavailableException extends RegistryException {
  RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
