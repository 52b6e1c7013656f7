package dev.rumstream.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test's hold on an {@link EmbeddedSchemaRegistry}, so that one fake registry serves every client
 * test: it records each request the registry receives, and makes the registry give a scripted
 * answer instead of its own to the next requests or to every request for one route (to check a
 * client's handling of 5xx, 409 and 404 answers and its retries).
 *
 * <p>Off by default: a registry started without a hook records nothing and answers for itself.
 */
public final class RegistryTestHook {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request as received.
   *
   * @param path the raw path, still percent-encoded
   * @param authorization the Authorization header, or null when none was sent
   */
  public record Request(String method, String path, String authorization) {}

  /** An HTTP answer with a JSON body. */
  public record Answer(int status, String body) {

    public static Answer ok(String body) {
      return new Answer(200, body);
    }

    /** An error in Confluent's shape: {@code {"error_code": ..., "message": ...}}. */
    public static Answer error(int status, int errorCode, String message) {
      return new Answer(
          status,
          JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString());
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> next = new ArrayDeque<>();
  private final Map<String, Answer> byRoute = new ConcurrentHashMap<>();

  /** The next {@code count} requests, whatever they ask, get {@code answer}. */
  public synchronized void answerNext(int count, Answer answer) {
    for (int i = 0; i < count; i++) {
      next.add(answer);
    }
  }

  /** Every request with this method and raw path gets {@code answer}, after any next ones. */
  public void answer(String method, String path, Answer answer) {
    byRoute.put(route(method, path), answer);
  }

  /** The requests received so far, oldest first. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Records a request and returns the scripted answer for it, if there is one. */
  synchronized Optional<Answer> receive(Request request) {
    requests.add(request);
    Answer scripted = next.poll();
    return scripted != null
        ? Optional.of(scripted)
        : Optional.ofNullable(byRoute.get(route(request.method(), request.path())));
  }

  private static String route(String method, String path) {
    return method + " " + path;
  }
}
