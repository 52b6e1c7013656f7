package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.topics.ExampleIdSet;
import dev.rumstream.topics.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The intake rules a deletion request must pass; each failure names the rule and says what is
 * wrong. The README's table "What bad input gets" lists them.
 */
final class RequestValidator {
  /** What a request id may be made of: it is a URL path segment and a record key. */
  static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  static final int MAX_MODEL_ID = 128;
  static final int MAX_SUBJECT_ID = 256;
  static final int MAX_REFERENCE = 512;
  static final int MAX_SOURCE = 128;

  /**
   * Rules whose failure gets no receipt: without a usable id a receipt could not be looked up, and
   * a request older than the dedup memory may be a resend of one whose receipt stands.
   */
  static final Set<String> WITHOUT_RECEIPT = Set.of("request-id", "request-id-format", "too-old");

  private final int maxExamplesPerRequest;
  private final Duration maxClockSkew;
  private final Duration maxRequestAge;

  /** What the intake knows about the model a request names. */
  record ModelFacts(boolean known, OptionalLong datasetSize, Optional<ExampleIdSet> ids) {
    static final ModelFacts UNKNOWN = new ModelFacts(false, OptionalLong.empty(), Optional.empty());
  }

  /** A broken rule: its short name (a metric tag) and what is wrong. */
  record Violation(String rule, String reason) {}

  RequestValidator(int maxExamplesPerRequest, Duration maxClockSkew, Duration maxRequestAge) {
    this.maxExamplesPerRequest = maxExamplesPerRequest;
    this.maxClockSkew = maxClockSkew;
    this.maxRequestAge = maxRequestAge;
  }

  Optional<Violation> check(String key, DeletionRequest request, ModelFacts model, Instant now) {
    if (request.getRequestId() == null || request.getRequestId().isBlank()) {
      return reject("request-id", "the request has no requestId");
    }
    if (!REQUEST_ID.matcher(request.getRequestId()).matches()) {
      return reject(
          "request-id-format",
          "the requestId must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ - (it is looked up in"
              + " a URL path); got "
              + printable(request.getRequestId()));
    }
    if (request.getModelId() == null || request.getModelId().isBlank()) {
      return reject("model-id", "the request names no model");
    }
    if (!request.getModelId().equals(key)
        && !Keys.request(request.getModelId(), request.getRequestId()).equals(key)) {
      return reject(
          "key",
          "the record key '"
              + key
              + "' is neither the request's modelId '"
              + request.getModelId()
              + "' nor '"
              + Keys.request(request.getModelId(), request.getRequestId())
              + "' (deletion-requests is keyed by model id and the request id's bucket)");
    }
    if (request.getSubjectId() == null || request.getSubjectId().isBlank()) {
      return reject("subject-id", "the request names no data subject (subjectId is blank)");
    }
    Optional<Violation> tooLong =
        tooLong("modelId", request.getModelId(), MAX_MODEL_ID)
            .or(() -> tooLong("subjectId", request.getSubjectId(), MAX_SUBJECT_ID))
            .or(() -> tooLong("reference", request.getReference(), MAX_REFERENCE))
            .or(() -> tooLong("source", request.getSource(), MAX_SOURCE));
    if (tooLong.isPresent()) {
      return tooLong;
    }
    if (request.getExampleIds().isEmpty()) {
      return reject("empty", "the request lists no example ids");
    }
    if (request.getExampleIds().size() > maxExamplesPerRequest) {
      return reject(
          "size",
          "the request lists "
              + request.getExampleIds().size()
              + " example ids; at most "
              + maxExamplesPerRequest
              + " are accepted per request");
    }
    if (!model.known()) {
      return reject(
          "unknown-model",
          "model '"
              + request.getModelId()
              + "' is unknown: no version on model-versions "
              + "and no scores on memorization-scores");
    }
    for (long id : request.getExampleIds()) {
      if (model.ids().isPresent()) {
        if (!model.ids().get().contains(id)) {
          return reject(
              "id-range",
              "example id "
                  + id
                  + " is not one of the "
                  + model.ids().get().size()
                  + " example ids of the dataset of model '"
                  + request.getModelId()
                  + "' (its exampleIdSet)");
        }
        continue;
      }
      if (id < 0 || (model.datasetSize().isPresent() && id >= model.datasetSize().getAsLong())) {
        return reject(
            "id-range",
            "example id "
                + id
                + " is outside the dataset of model '"
                + request.getModelId()
                + "'"
                + (model.datasetSize().isPresent()
                    ? " (ids 0 to " + (model.datasetSize().getAsLong() - 1) + ")"
                    : " (ids are not negative)"));
      }
    }
    Instant requestedAt = request.getRequestedAt();
    if (requestedAt.isAfter(now.plus(maxClockSkew))) {
      return reject(
          "timestamp",
          "requestedAt "
              + requestedAt
              + " lies in the future (now "
              + now
              + ", tolerated clock skew "
              + maxClockSkew
              + ")");
    }
    if (requestedAt.isBefore(now.minus(maxRequestAge))) {
      return reject(
          "too-old",
          "requestedAt "
              + requestedAt
              + " is older than the accepted "
              + maxRequestAge
              + "; no receipt is issued, as it may be a resend of a request already answered");
    }
    if (request.getDeadline() != null && request.getDeadline().isBefore(requestedAt)) {
      return reject(
          "timestamp",
          "the deadline " + request.getDeadline() + " precedes requestedAt " + requestedAt);
    }
    return Optional.empty();
  }

  private static Optional<Violation> tooLong(String field, String value, int max) {
    return value != null && value.length() > max
        ? reject("too-long", field + " is " + value.length() + " characters long; at most " + max)
        : Optional.empty();
  }

  /** A rejected id as a log-safe string: at most 64 characters, control characters escaped. */
  private static String printable(String id) {
    String cut = id.length() > 64 ? id.substring(0, 64) + "…" : id;
    StringBuilder out = new StringBuilder("'");
    cut.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append("'").toString();
  }

  private static Optional<Violation> reject(String rule, String reason) {
    return Optional.of(new Violation(rule, reason));
  }
}
