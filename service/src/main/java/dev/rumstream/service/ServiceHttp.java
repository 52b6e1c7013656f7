package dev.rumstream.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A service's HTTP face: {@code /health/live} and {@code /health/ready} (200 when up, 503 when
 * down, the {@link Health} as JSON), {@code /metrics} (Prometheus text) and the service's own
 * endpoints; anything else is a JSON 404. {@link HttpAccess} says which need a bearer token and
 * where metrics are served.
 */
public final class ServiceHttp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** A path (a prefix: {@code /requests/} serves {@code /requests/{id}}) and its handler. */
  public record Endpoint(String path, HttpHandler handler) {}

  private final HttpServer server;
  private final HttpServer metricsServer;

  public ServiceHttp(
      int port, RunningService service, PrometheusMeterRegistry metrics, HttpAccess access)
      throws IOException {
    this.server = server(port, "service-http", 4);
    server.createContext("/health/live", health(service::live));
    server.createContext("/health/ready", health(service::ready));
    HttpHandler scrape = exchange -> send(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
    List<Endpoint> api = new ArrayList<>(service.endpoints());
    if (access.metricsOnTheirOwnPort()) {
      metricsServer = server(access.metricsPort(), "service-metrics", 1);
      metricsServer.createContext("/metrics", scrape);
      metricsServer.createContext("/", notFound());
    } else {
      metricsServer = null;
      api.add(new Endpoint("/metrics", scrape));
    }
    api.add(new Endpoint("/", notFound()));
    for (Endpoint endpoint : api) {
      HttpContext context = server.createContext(endpoint.path(), endpoint.handler());
      if (access.protectsApi()) {
        context.setAuthenticator(access.authenticator());
      }
    }
  }

  private static HttpServer server(int port, String threadName, int threads) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            }));
    return server;
  }

  private static HttpHandler notFound() {
    return exchange -> json(exchange, 404, error("no such endpoint: " + exchange.getRequestURI()));
  }

  private static HttpHandler health(Supplier<Health> check) {
    return exchange -> {
      Health health = check.get();
      json(exchange, health.up() ? 200 : 503, health.json());
    };
  }

  public void start() {
    server.start();
    if (metricsServer != null) {
      metricsServer.start();
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The port {@code /metrics} answers on: its own, or the HTTP port. */
  public int metricsPort() {
    return metricsServer != null ? metricsServer.getAddress().getPort() : port();
  }

  /**
   * The URL-decoded rest of a GET request's path after {@code prefix}; any other method is answered
   * 405 here and gets null.
   */
  public static String getPath(HttpExchange exchange, String prefix) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      json(exchange, 405, error("only GET is supported"));
      return null;
    }
    return java.net.URLDecoder.decode(
        exchange.getRequestURI().getRawPath().substring(prefix.length()), StandardCharsets.UTF_8);
  }

  /** {@code {"error": message}}. */
  public static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  public static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json", body.toString());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    if (metricsServer != null) {
      metricsServer.stop(1);
    }
  }
}
