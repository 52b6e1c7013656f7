package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The intake rules a deletion request must pass; each failure names the rule and says what is
 * wrong.
 */
final class RequestValidator {
  private final int maxExamplesPerRequest;
  private final Duration maxClockSkew;
  private final Duration maxRequestAge;

  /** What the intake knows about the model a request names. */
  record ModelFacts(boolean known, OptionalLong datasetSize) {
    static final ModelFacts UNKNOWN = new ModelFacts(false, OptionalLong.empty());
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
    if (request.getModelId() == null || request.getModelId().isBlank()) {
      return reject("model-id", "the request names no model");
    }
    if (!request.getModelId().equals(key)) {
      return reject(
          "key",
          "the record key '"
              + key
              + "' is not the request's modelId '"
              + request.getModelId()
              + "' (deletion-requests is keyed by model id)");
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
          "timestamp",
          "requestedAt " + requestedAt + " is older than the accepted " + maxRequestAge);
    }
    if (request.getDeadline() != null && request.getDeadline().isBefore(requestedAt)) {
      return reject(
          "timestamp",
          "the deadline " + request.getDeadline() + " precedes requestedAt " + requestedAt);
    }
    return Optional.empty();
  }

  private static Optional<Violation> reject(String rule, String reason) {
    return Optional.of(new Violation(rule, reason));
  }
}
