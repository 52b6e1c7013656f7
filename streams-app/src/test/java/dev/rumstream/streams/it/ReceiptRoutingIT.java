package dev.rumstream.streams.it;

import static dev.rumstream.streams.it.PipelineHarness.MODEL;
import static dev.rumstream.streams.it.PipelineHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.config.Settings;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With two instances, a status query reaching the instance that does not keep the receipt is sent
 * to the one that does.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class ReceiptRoutingIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aQueryForAReceiptKeptElsewhereIsRedirectedToItsOwner(TestEnvironment environment)
      throws Exception {
    try (PipelineHarness harness = new PipelineHarness(environment, Map.of())) {
      harness.publishModel();
      int[] ports = {freePort(), freePort()};
      try (Instance first = new Instance(harness, ports[0]);
          Instance second = new Instance(harness, ports[1])) {
        first.awaitRunning();
        second.awaitRunning();
        List<String> ids =
            List.of("route-1", "route-2", "route-3", "route-4", "route-5", "route-6");
        ids.forEach(id -> harness.sendRaw(MODEL, harness.bytes(request(id, List.of(7L)))));
        harness.flush();
        assertThat(harness.receipts(ids.size())).hasSize(ids.size());

        int redirected = 0;
        for (String id : ids) {
          HttpResponse<String> fromFirst = awaitAnswer(ports[0], id);
          HttpResponse<String> fromSecond = awaitAnswer(ports[1], id);
          assertThat(List.of(fromFirst.statusCode(), fromSecond.statusCode()))
              .as("one instance answers, the other redirects: %s", id)
              .containsExactlyInAnyOrder(200, 307);
          HttpResponse<String> redirect = fromFirst.statusCode() == 307 ? fromFirst : fromSecond;
          int owner = fromFirst.statusCode() == 200 ? ports[0] : ports[1];
          assertThat(redirect.headers().firstValue("Location"))
              .contains("http://localhost:" + owner + "/requests/" + id);
          redirected++;
        }
        assertThat(redirected).isEqualTo(ids.size());
      }
    }
  }

  private HttpResponse<String> awaitAnswer(int port, String id) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    HttpResponse<String> response;
    do {
      response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/requests/" + id))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 || response.statusCode() == 307) {
        return response;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return response;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * One application instance: its own state directory, HTTP port and {@code application.server}.
   */
  private static final class Instance implements AutoCloseable {
    private final ServiceShell<StreamsService> shell;

    Instance(PipelineHarness harness, int port) throws Exception {
      Map<String, String> values = new HashMap<>(harness.values());
      values.put("state.dir", Files.createTempDirectory("rumstream-route-").toString());
      values.put("rumstream.http.port", Integer.toString(port));
      values.put("application.server", "localhost:" + port);
      shell = StreamsService.shell(Settings.of(StreamsApp.DEFAULTS, values)).start();
    }

    void awaitRunning() throws InterruptedException {
      PipelineHarness.awaitRunning(shell);
    }

    @Override
    public void close() {
      shell.close();
    }
  }
}
