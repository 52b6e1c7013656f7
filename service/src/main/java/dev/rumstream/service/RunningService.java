package dev.rumstream.service;

import java.time.Duration;
import java.util.List;

/** What the shell runs: a service that starts, says whether it is alive and ready, and closes. */
public interface RunningService extends AutoCloseable {
  void start();

  /** Down when the service cannot recover by itself (a restart is due). */
  Health live();

  /** Up when the service does its work (it may take traffic). */
  Health ready();

  /** HTTP endpoints of this service beside the health checks and {@code /metrics}. */
  default List<ServiceHttp.Endpoint> endpoints() {
    return List.of();
  }

  /** Stops, within the service's {@code rumstream.shutdown.timeout}. */
  @Override
  void close();

  /** Waits until the service is ready; fails when it dies or the patience runs out first. */
  default void awaitReady(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!ready().up()) {
      if (!live().up() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            getClass().getSimpleName() + " did not get ready: " + ready().details());
      }
      Thread.sleep(100);
    }
  }
}
