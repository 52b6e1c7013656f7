package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client commands take the services' client settings and the HTTP API's bearer token. */
class ClientCommandsTest {

  @Test
  void requestReadsSaslTlsAndRegistryCredentialsFromAFileTheEnvironmentAndItsOptions(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "bootstrap.servers=kafka-1:9093",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"rumstream-client\" password=\"from-the-file\";",
            "ssl.truststore.location=/etc/rumstream/kafka-ca/ca.p12",
            "ssl.truststore.type=PKCS12",
            "schema.registry.url=https://registry:8081",
            "basic.auth.user.info=client:registry-secret",
            "rumstream.window.size=5m"));
    ClientOptions options = new ClientOptions();
    new CommandLine(options)
        .parseArgs("--config", file.toString(), "--bootstrap-servers", "kafka-2:9093");

    Map<String, Object> clients =
        options.clients(
            Map.of(
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "from-the-environment",
                "RUMSTREAM_HTTP_AUTH_TOKEN", "not-a-client-setting"));

    assertThat(clients)
        .containsEntry("bootstrap.servers", "kafka-2:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/rumstream/kafka-ca/ca.p12")
        .containsEntry("ssl.truststore.password", "from-the-environment")
        .containsEntry("schema.registry.url", "https://registry:8081")
        .containsEntry("basic.auth.user.info", "client:registry-secret")
        .doesNotContainKeys("rumstream.window.size", "rumstream.http.auth.token");
    assertThat(clients.get("sasl.jaas.config").toString()).contains("password=\"from-the-file\"");
  }

  @Test
  void statusSendsTheBearerTokenAlsoAfterARedirectToTheInstanceWithTheReceipt() throws Exception {
    List<String> seen = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/requests/",
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(exchange.getRequestURI().getPath() + " " + authorization);
          if (!"Bearer t0ken".equals(authorization)) {
            exchange.sendResponseHeaders(401, -1);
          } else if (exchange.getRequestURI().getPath().equals("/requests/r-1")) {
            exchange.getResponseHeaders().set("Location", "/requests/elsewhere/r-1");
            exchange.sendResponseHeaders(307, -1);
          } else {
            byte[] body = "{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      assertThat(
              new CommandLine(new RequestStatus())
                  .execute("r-1", "--streams-url", url, "--token", "t0ken"))
          .isZero();
      assertThat(new CommandLine(new RequestStatus()).execute("r-1", "--streams-url", url))
          .as("without the token")
          .isEqualTo(1);
    } finally {
      System.setOut(out);
      server.stop(0);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("{\"status\":\"COMPLETED\"}");
    assertThat(seen)
        .startsWith("/requests/r-1 Bearer t0ken", "/requests/elsewhere/r-1 Bearer t0ken")
        .endsWith("/requests/r-1 null");
  }
}
