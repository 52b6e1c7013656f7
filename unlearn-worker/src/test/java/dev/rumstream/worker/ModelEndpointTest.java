package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /models/{id}/current}: the promoted version, never an older one. */
class ModelEndpointTest {
  @TempDir Path root;
  private HttpServer server;
  private ModelStore store;

  @BeforeEach
  void serve() throws Exception {
    store = new ModelStore(root);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(ModelEndpoint.PATH, new ModelEndpoint(store));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private VersionManifest store(long version, String content) {
    VersionManifest manifest =
        VersionManifest.original(
            "fashion.cnn",
            Map.of("epochs", "1"),
            "fashion-mnist",
            60_000,
            "SMALL_CNN",
            Instant.parse("2026-11-29T08:00:00Z"),
            "cpu",
            new VersionManifest.Evidence(null, 0.9, 0.88, null, null, 0, 60_000, 0));
    VersionManifest numbered =
        version == 0
            ? manifest
            : new VersionManifest(
                manifest.modelId(),
                version,
                0L,
                "job-" + version,
                "fs",
                "HIGH",
                "SALUN",
                Map.of(),
                java.util.List.of(),
                java.util.List.of(7L),
                java.util.List.of(7L),
                manifest.datasetId(),
                manifest.datasetSize(),
                manifest.architecture(),
                null,
                0,
                manifest.createdAt(),
                "cpu",
                manifest.evidence(),
                VersionStatus.CANDIDATE,
                manifest.createdAt(),
                null,
                null,
                null,
                1,
                false);
    return store.write(
        numbered,
        dir -> {
          byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
          Files.write(dir.resolve(ModelStore.PARAMS), bytes);
          try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
          }
        });
  }

  @Test
  void answersThePromotedVersionWithItsChecksumAndLocation() throws Exception {
    store(0, "zero");
    VersionManifest v1 = store.promote(store(1, "one"), Instant.parse("2026-11-29T09:00:00Z"));

    HttpResponse<String> response = get("/models/fashion.cnn/current");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(response.body());
    assertThat(body.path("version").asLong()).isEqualTo(1);
    assertThat(body.path("status").asText()).isEqualTo("PROMOTED");
    assertThat(body.path("checksum").asText()).isEqualTo(v1.checksum());
    assertThat(body.path("location").asText()).isEqualTo(store.parameters(v1).toUri().toString());
    assertThat(body.path("deletedCount").asInt()).isEqualTo(1);
    assertThat(body.path("evidence").path("testAccuracy").asDouble()).isEqualTo(0.88);
  }

  @Test
  void anUnknownModelIsNotFoundAndOnlyGetIsServed() throws Exception {
    assertThat(get("/models/nobody/current").statusCode()).isEqualTo(404);
    assertThat(get("/models/fashion.cnn").statusCode()).isEqualTo(400);
    HttpResponse<String> post =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.getAddress().getPort()
                                + "/models/fashion.cnn/current"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
