package dev.rumstream.cli;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Asks the streams app for a request's status (following a redirect to the instance that keeps it).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Prints a deletion request's latest receipt (or with --history its audit trail) as JSON;"
            + " exit code 1 when it is unknown.")
final class RequestStatus implements Callable<Integer> {
  @Parameters(paramLabel = "REQUEST_ID", description = "The request id.")
  String requestId;

  @Mixin StreamsApi api;

  @Option(
      names = "--history",
      description = "Print the request's audit trail instead, with whether its chain verifies.")
  boolean history;

  @Override
  public Integer call() throws Exception {
    HttpResponse<String> response =
        api.get(
            "/requests/"
                + URLEncoder.encode(requestId, StandardCharsets.UTF_8)
                + (history ? "/history" : ""));
    System.out.println(response.body());
    return response.statusCode() == 200 ? 0 : 1;
  }
}
