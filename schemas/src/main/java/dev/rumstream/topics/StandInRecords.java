package dev.rumstream.topics;

import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ProxyKind;
import dev.rumstream.avro.ScoreDistribution;
import java.time.Instant;
import java.util.List;

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
}
