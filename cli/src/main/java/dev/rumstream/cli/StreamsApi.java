package dev.rumstream.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import picocli.CommandLine.Option;

/**
 * The streams app's HTTP API as the client commands call it (a picocli mixin): its URL and bearer
 * token, redirects to the instance that keeps a request followed with the token kept.
 */
final class StreamsApi {
  @Option(
      names = "--streams-url",
      defaultValue = "${env:RUMSTREAM_STREAMS_URL:-http://localhost:8080}",
      description = "The streams app (default: $RUMSTREAM_STREAMS_URL or ${DEFAULT-VALUE}).")
  String streamsUrl;

  @Option(
      names = "--token",
      defaultValue = "${env:RUMSTREAM_HTTP_AUTH_TOKEN}",
      description =
          "The streams app's bearer token (rumstream.http.auth.token; default: "
              + "$RUMSTREAM_HTTP_AUTH_TOKEN, which keeps it out of the process list).")
  String token;

  /** GET of a path (with its query), saying on stderr when the token is wanted. */
  HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(streamsUrl + pathAndQuery));
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token.trim());
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 401) {
      System.err.println(
          "The streams app wants its bearer token: set RUMSTREAM_HTTP_AUTH_TOKEN or --token.");
    }
    return response;
  }
}
