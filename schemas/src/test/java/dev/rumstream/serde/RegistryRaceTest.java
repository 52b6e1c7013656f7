package dev.rumstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rumstream.avro.DeletionReceipt;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A registry that answers 409 to the loser of two concurrent registrations of one schema (as
 * Apicurio does): the client finds the schema registered after all; a real incompatibility still
 * fails.
 */
class RegistryRaceTest {

  /** 409 to every registration; the look-up answers {@code lookup} with {@code status}. */
  private static HttpServer registry(int status, String lookup) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/subjects/",
        exchange -> {
          boolean registration = exchange.getRequestURI().getPath().endsWith("/versions");
          byte[] body =
              (registration
                      ? "{\"error_code\":409,\"message\":\"An artifact with ID 's' already exists.\"}"
                      : lookup)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(registration ? 409 : status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static RegistryClient client(HttpServer server) {
    return new RegistryClient(
        RegistryConfig.forUrl("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  @Test
  void aRegistrationThatLostARaceFindsTheSchemaRegisteredByTheWinner() throws Exception {
    HttpServer server = registry(200, "{\"subject\":\"s\",\"id\":42,\"version\":1}");
    try {
      assertThat(client(server).register("s", DeletionReceipt.getClassSchema())).isEqualTo(42);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRealIncompatibilityStillFails() throws Exception {
    HttpServer server = registry(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
    try {
      assertThatThrownBy(() -> client(server).register("s", DeletionReceipt.getClassSchema()))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContaining("already exists");
    } finally {
      server.stop(0);
    }
  }
}
