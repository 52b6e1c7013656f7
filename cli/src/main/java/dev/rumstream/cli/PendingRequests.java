package dev.rumstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rumstream pending}: what is still to be deleted, the nearest deadline first. */
@Command(
    name = "pending",
    mixinStandardHelpOptions = true,
    description =
        "Lists every accepted request not yet COMPLETED (in an open forget set, queued or running)"
            + " with the time left before its deadline, the nearest first, over all instances of"
            + " the streams app (GET /requests?status=pending). Exit code 1 when an instance did not"
            + " answer.")
final class PendingRequests implements Callable<Integer> {
  @Mixin StreamsApi api;

  @Option(names = "--json", description = "Print the answer as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    HttpResponse<String> response = api.get("/requests?status=pending");
    if (json || response.statusCode() != 200) {
      System.out.println(response.body());
      return response.statusCode() == 200 ? 0 : 1;
    }
    JsonNode answer = new ObjectMapper().readTree(response.body());
    System.out.printf(
        "%-14s %-22s %-10s %-16s %s%n", "SLACK", "DEADLINE", "STAGE", "MODEL", "REQUEST");
    for (JsonNode request : answer.path("pending")) {
      JsonNode slack = request.path("slackSeconds");
      System.out.printf(
          "%-14s %-22s %-10s %-16s %s%n",
          slack.isNumber() ? slack(slack.asLong()) : "no deadline",
          request.path("deadline").asText("-"),
          request.path("stage").asText(),
          request.path("modelId").asText(),
          request.path("requestId").asText());
    }
    System.out.println(answer.path("pending").size() + " pending");
    if (!answer.path("complete").asBoolean()) {
      System.err.println("incomplete: no answer from " + answer.path("unreachable"));
      return 1;
    }
    return 0;
  }

  /** 3d04h, 5h12m, 42m, or -1h03m once the deadline has passed. */
  static String slack(long seconds) {
    Duration left = Duration.ofSeconds(Math.abs(seconds));
    String sign = seconds < 0 ? "-" : "";
    if (left.toDays() > 0) {
      return String.format("%s%dd%02dh", sign, left.toDays(), left.toHoursPart());
    }
    if (left.toHours() > 0) {
      return String.format("%s%dh%02dm", sign, left.toHours(), left.toMinutesPart());
    }
    return String.format("%s%dm", sign, left.toMinutes());
  }
}
