package dev.rumstream.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The worker's HTTP face: {@code /health/live}, {@code /health/ready} (consuming, no job blocked)
 * and {@code /metrics}.
 */
public final class WorkerHttp implements AutoCloseable {
  private final HttpServer server;

  public WorkerHttp(int port, WorkerService worker, PrometheusMeterRegistry metrics)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/health/live",
        exchange ->
            send(
                exchange,
                worker.alive() ? 200 : 503,
                "application/json",
                "{\"status\":\"" + (worker.alive() ? "UP" : "DOWN") + "\"}"));
    server.createContext(
        "/health/ready",
        exchange -> {
          String problem = worker.problem();
          send(
              exchange,
              problem == null ? 200 : 503,
              "application/json",
              problem == null
                  ? "{\"status\":\"UP\"}"
                  : "{\"status\":\"DOWN\",\"problem\":\""
                      + problem.replace("\\", "\\\\").replace("\"", "\\\"")
                      + "\"}");
        });
    server.createContext(
        "/metrics",
        exchange ->
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
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
  }
}
