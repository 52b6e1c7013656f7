package dev.rumstream.topics;

import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ProxyKind;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.UnlearningAlgorithm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of a model which exists only on the topics: version 0 of a small CNN over
 * Fashion-MNIST with a stand-in location and checksum, its CONFIDENCE scores, and erasure requests
 * for it. For load generators and tests of the deletion topology, which read these records and
 * never the model.
 */
public final class StandInRecords {
  private StandInRecords() {}

  public static ModelVersion versionZero(String modelId, long datasetSize, Instant trainedAt) {
    return ModelVersion.newBuilder()
        .setModelId(modelId)
        .setVersion(0)
        .setLocation("file:///models/" + modelId + "/v0")
        .setChecksum("00")
        .setSizeBytes(1)
        .setArchitecture("small-cnn")
        .setDatasetId("fashion-mnist")
        .setDatasetSize(datasetSize)
        .setDeletedCount(0)
        .setCreatedAt(trainedAt)
        .build();
  }

  /** A CONFIDENCE score of version 0 (it falls as memorization rises). */
  public static MemorizationScore confidence(
      String modelId,
      long exampleId,
      double score,
      ScoreDistribution distribution,
      Instant computedAt) {
    return MemorizationScore.newBuilder()
        .setModelId(modelId)
        .setModelVersion(0)
        .setExampleId(exampleId)
        .setProxy(ProxyKind.CONFIDENCE)
        .setScore(score)
        .setHigherIsMoreMemorized(false)
        .setDistribution(distribution)
        .setDatasetId("fashion-mnist")
        .setComputedAt(computedAt)
        .build();
  }

  /** A GDPR erasure request of subject "subject-{requestId}", with no deadline or reference. */
  public static DeletionRequest erasure(
      String requestId, String modelId, List<Long> exampleIds, Instant requestedAt, String source) {
    return DeletionRequest.newBuilder()
        .setRequestId(requestId)
        .setModelId(modelId)
        .setSubjectId("subject-" + requestId)
        .setExampleIds(exampleIds)
        .setReason(DeletionReason.GDPR_ERASURE)
        .setRequestedAt(requestedAt)
        .setDeadline(null)
        .setReference(null)
        .setSource(source)
        .build();
  }

  /**
   * The jobs of one refined forget set as the streams app emits them: NONE on LOW, Fine-tune on
   * MEDIUM and SalUn on HIGH (lr 0.05, {@code epochs} epochs), two examples each from {@code
   * firstExample} on; every request of {@code requestIds} holds two examples.
   */
  public static List<UnlearnJob> refinedJobs(
      String modelId, String forgetSetId, List<String> requestIds, long firstExample, int epochs) {
    UnlearningAlgorithm[] algorithms = {
      UnlearningAlgorithm.NONE, UnlearningAlgorithm.FINE_TUNE, UnlearningAlgorithm.SALUN
    };
    List<UnlearnJob> jobs = new ArrayList<>();
    for (int index = 0; index < 3; index++) {
      jobs.add(
          job(
              modelId,
              forgetSetId,
              index,
              3,
              MemorizationLevel.values()[index],
              algorithms[index],
              index == 0 ? Map.of() : Map.of("epochs", Integer.toString(epochs), "lr", "0.05"),
              List.of(firstExample + 10L * index, firstExample + 10L * index + 1),
              requestIds,
              2));
    }
    return jobs;
  }

  /** One job ({@code <forgetSetId>-<index>}) of a forget set of {@code count} jobs. */
  public static UnlearnJob job(
      String modelId,
      String forgetSetId,
      int index,
      int count,
      MemorizationLevel level,
      UnlearningAlgorithm algorithm,
      Map<String, String> hyperParameters,
      List<Long> exampleIds,
      List<String> requestIds,
      int examplesPerRequest) {
    return UnlearnJob.newBuilder()
        .setJobId(forgetSetId + "-" + index)
        .setForgetSetId(forgetSetId)
        .setModelId(modelId)
        .setIndex(index)
        .setJobCount(count)
        .setLevel(level)
        .setAlgorithm(algorithm)
        .setHyperParameters(hyperParameters)
        .setExampleIds(exampleIds)
        .setRequestIds(requestIds)
        .setRequests(
            requestIds.stream()
                .map(
                    id ->
                        RequestSummary.newBuilder()
                            .setRequestId(id)
                            .setSubjectHash("hmac-sha256:" + id)
                            .setReason(DeletionReason.GDPR_ERASURE)
                            .setReceivedAt(Instant.parse("2026-11-27T08:00:00Z"))
                            .setDeadline(null)
                            .setExampleCount(examplesPerRequest)
                            .build())
                .toList())
        .setCreatedAt(Instant.now())
        .setDeadline(null)
        .build();
  }
}
