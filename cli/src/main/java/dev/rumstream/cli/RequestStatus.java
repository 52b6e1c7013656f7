package dev.rumstream.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Asks the streams app for a request's status (following a redirect to the instance that keeps it).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Prints a deletion request's latest receipt as JSON; exit code 1 when it is unknown.")
final class RequestStatus implements Callable<Integer> {
  @Parameters(paramLabel = "REQUEST_ID", description = "The request id.")
  String requestId;

  @Option(
      names = "--streams-url",
      defaultValue = "${env:RUMSTREAM_STREAMS_URL:-http://localhost:8080}",
      description = "The streams app (default: $RUMSTREAM_STREAMS_URL or ${DEFAULT-VALUE}).")
  String streamsUrl;

  @Override
  public Integer call() throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    URI uri =
        URI.create(
            streamsUrl + "/requests/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    System.out.println(response.body());
    return response.statusCode() == 200 ? 0 : 1;
  }
}
