package dev.rumstream.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;

/** Started services and how to stop them; JUnit closes the shared one when the test run ends. */
public record RunningServices(TestEnvironment environment, AutoCloseable resources)
    implements AutoCloseable, ExtensionContext.Store.CloseableResource {
  @Override
  public void close() throws Exception {
    resources.close();
  }
}
