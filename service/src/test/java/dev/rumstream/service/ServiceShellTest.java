package dev.rumstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ServiceShellTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A service that is alive, ready when told, and has an endpoint of its own. */
  static final class FakeService implements RunningService {
    final AtomicBoolean ready = new AtomicBoolean();
    boolean started;
    boolean closed;

    @Override
    public void start() {
      started = true;
    }

    @Override
    public Health live() {
      return Health.of(true);
    }

    @Override
    public Health ready() {
      return ready.get() ? Health.of(true) : Health.of(false, "problem", "not \"yet\"");
    }

    @Override
    public List<ServiceHttp.Endpoint> endpoints() {
      return List.of(
          new ServiceHttp.Endpoint(
              "/echo/",
              exchange ->
                  ServiceHttp.json(
                      exchange, 200, ServiceHttp.error(exchange.getRequestURI().getPath()))));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theHttpFaceAnswersHealthMetricsAndTheServicesOwnEndpoints() throws Exception {
    Settings settings =
        Settings.of("/settings-test-defaults.properties", Map.of("rumstream.http.port", "0"));
    FakeService fake = new FakeService();
    try (ServiceShell<FakeService> shell = ServiceShell.open(settings, (s, metrics) -> fake)) {
      shell.start();
      int port = shell.port();
      assertThat(fake.started).isTrue();

      HttpResponse<String> live = get(port, "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
      HttpResponse<String> notReady = get(port, "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body())
          .isEqualTo("{\"status\":\"DOWN\",\"problem\":\"not \\\"yet\\\"\"}");
      fake.ready.set(true);
      assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);

      shell.metrics().counter("rumstream.test.calls").increment();
      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).contains("rumstream_test_calls_total 1.0");

      assertThat(get(port, "/echo/x").body()).isEqualTo("{\"error\":\"/echo/x\"}");
      HttpResponse<String> unknown = get(port, "/nowhere");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("no such endpoint: /nowhere");
    }
    assertThat(fake.closed).isTrue();
  }

  @Test
  void withATokenTheApiNeedsItWhileHealthAndTheMetricsPortStayOpen() throws Exception {
    Settings settings =
        Settings.of(
            "/settings-test-defaults.properties",
            Map.of(
                "rumstream.http.port",
                "0",
                HttpAccess.TOKEN,
                "s3cret-token",
                HttpAccess.METRICS_PORT,
                "0"));
    FakeService fake = new FakeService();
    try (ServiceShell<FakeService> shell = ServiceShell.open(settings, (s, metrics) -> fake)) {
      shell.start();
      int port = shell.port();
      assertThat(shell.metricsPort()).isNotEqualTo(port);

      assertThat(get(port, "/health/live").statusCode()).as("probes send no token").isEqualTo(200);
      HttpResponse<String> anonymous = get(port, "/echo/x");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .contains("Bearer realm=\"rumstream\"");
      assertThat(get(port, "/echo/x", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(get(port, "/echo/x", "Basic czNjcmV0LXRva2Vu").statusCode()).isEqualTo(401);
      assertThat(get(port, "/nowhere").statusCode()).as("no probing for paths").isEqualTo(401);
      HttpResponse<String> allowed = get(port, "/echo/x", "Bearer s3cret-token");
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.body()).isEqualTo("{\"error\":\"/echo/x\"}");

      shell.metrics().counter("rumstream.test.calls").increment();
      assertThat(get(shell.metricsPort(), "/metrics").body())
          .as("metrics on their own port, open")
          .contains("rumstream_test_calls_total 1.0");
      assertThat(get(port, "/metrics", "Bearer s3cret-token").statusCode())
          .as("and only there")
          .isEqualTo(404);
    }
  }

  @Test
  void withATokenAndNoMetricsPortTheMetricsNeedTheTokenToo() throws Exception {
    Settings settings =
        Settings.of(
            "/settings-test-defaults.properties",
            Map.of("rumstream.http.port", "0", HttpAccess.TOKEN, "s3cret-token"));
    try (ServiceShell<FakeService> shell =
        ServiceShell.open(settings, (s, metrics) -> new FakeService())) {
      shell.start();
      assertThat(shell.metricsPort()).isEqualTo(shell.port());
      assertThat(get(shell.port(), "/metrics").statusCode()).isEqualTo(401);
      assertThat(get(shell.port(), "/metrics", "Bearer s3cret-token").statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(int port, String path, String authorization)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", authorization)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void awaitReadyFailsWhenTheServiceIsNotReadyInTime() {
    FakeService fake = new FakeService();
    assertThatThrownBy(() -> fake.awaitReady(Duration.ofMillis(300)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not \"yet\"");
  }
}
