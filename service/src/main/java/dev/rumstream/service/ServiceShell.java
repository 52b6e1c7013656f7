package dev.rumstream.service;

import dev.rumstream.config.Settings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service with its metrics registry and its HTTP face on {@code rumstream.http.port}: how both
 * services run, as a process ({@link #runUntilStopped}) or embedded (a demo, a benchmark, a test).
 */
public final class ServiceShell<S extends RunningService> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceShell.class);

  /** Builds a service from its settings, its meters registered in {@code metrics}. */
  @FunctionalInterface
  public interface Factory<S extends RunningService> {
    S create(Settings settings, PrometheusMeterRegistry metrics) throws Exception;
  }

  private final S service;
  private final PrometheusMeterRegistry metrics;
  private final ServiceHttp http;
  private boolean answering;

  private ServiceShell(S service, PrometheusMeterRegistry metrics, ServiceHttp http) {
    this.service = service;
    this.metrics = metrics;
    this.http = http;
  }

  /** Builds the service and its HTTP face; nothing runs until {@link #start()}. */
  public static <S extends RunningService> ServiceShell<S> open(
      Settings settings, Factory<S> factory) throws Exception {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    S service = factory.create(settings, metrics);
    try {
      return new ServiceShell<>(
          service,
          metrics,
          new ServiceHttp(
              settings.integer("rumstream.http.port"),
              service,
              metrics,
              HttpAccess.from(settings)));
    } catch (Exception e) {
      service.close();
      throw e;
    }
  }

  /** Starts answering HTTP, then the service: readiness says 503 until the service is ready. */
  public synchronized ServiceShell<S> start() {
    startHttp();
    service.start();
    return this;
  }

  /** Answers HTTP before the service starts (to see it not ready yet). */
  public synchronized void startHttp() {
    if (!answering) {
      http.start();
      answering = true;
    }
  }

  public S service() {
    return service;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** The HTTP port (the one the system chose when {@code rumstream.http.port} is 0). */
  public int port() {
    return http.port();
  }

  /** The port of {@code /metrics}: {@code rumstream.metrics.port} when set, else the HTTP port. */
  public int metricsPort() {
    return http.metricsPort();
  }

  /** Stops answering HTTP first, so that nothing reports on a service that is closing. */
  @Override
  public void close() {
    http.close();
    service.close();
  }

  /**
   * Starts, then runs until the JVM is asked to stop (SIGTERM, Ctrl-C): the shutdown hook closes
   * the service cleanly.
   */
  public int runUntilStopped(String name) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Shutting down");
                  close();
                  stopped.countDown();
                },
                "shutdown"));
    start();
    log.info("{} started; HTTP on port {}, metrics on port {}", name, port(), metricsPort());
    stopped.await();
    return 0;
  }
}
