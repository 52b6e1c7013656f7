package dev.rumstream.worker;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.JobOutcome;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.worker.lifecycle.GateVerdicts;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The records that announce a stored version (step 6 of the flow): the version itself, its
 * evidence, and, once the last job of a forget set is stored, a COMPLETED receipt for every request
 * of the set.
 */
public final class Announcements {
  private Announcements() {}

  static ModelVersion version(VersionManifest manifest, ModelStore store) {
    return ModelVersion.newBuilder()
        .setModelId(manifest.modelId())
        .setVersion(manifest.version())
        .setParentVersion(manifest.parentVersion())
        .setJobId(manifest.jobId())
        .setForgetSetId(manifest.forgetSetId())
        .setAlgorithm(ContractEnums.recordedAlgorithm(manifest.algorithm()))
        .setHyperParameters(manifest.hyperParameters())
        .setLocation(store.parameters(manifest).toUri().toString())
        .setChecksum(manifest.checksum())
        .setSizeBytes(manifest.sizeBytes())
        .setArchitecture(manifest.architecture())
        .setDatasetId(manifest.datasetId())
        .setDatasetSize(manifest.datasetSize())
        .setDeletedCount(manifest.deletedIds().size())
        .setCreatedAt(manifest.createdAt())
        .setDevice(manifest.device())
        .setStatus(manifest.status())
        .setStatusChangedAt(manifest.statusChangedAt())
        .setGate(GateVerdicts.toAvro(manifest.gate()))
        .setEscalated(manifest.escalated())
        .setExampleIdSet(exampleIdSet(manifest, store))
        .build();
  }

  /** Beside a model's versions: its training set's ids, when they are not 0 to size - 1. */
  static final String EXAMPLE_IDS = "example-ids.roaring";

  /** The id set the bootstrap stored for the model, if it needed one. */
  private static ByteBuffer exampleIdSet(VersionManifest manifest, ModelStore store) {
    Path file = store.root().resolve(manifest.modelId()).resolve(EXAMPLE_IDS);
    try {
      return Files.exists(file) ? ByteBuffer.wrap(Files.readAllBytes(file)) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the example ids of " + manifest.modelId(), e);
    }
  }

  /**
   * The memorization scores of a version (version 0, or a retrain from scratch) as published, each
   * with the training-set tertiles the streams app cuts at.
   */
  static List<MemorizationScore> scores(VersionManifest version, MemorizationScores scores) {
    return scores(
        version.modelId(), version.version(), version.datasetId(), version.createdAt(), scores);
  }

  /**
   * Scores as the worker publishes them (public so that the quality benchmark refines forget sets
   * exactly as the streams app does).
   */
  public static List<MemorizationScore> scores(
      String modelId,
      long version,
      String datasetId,
      java.time.Instant computedAt,
      MemorizationScores scores) {
    ScoreDistribution distribution = Bootstrap.distribution(scores.values());
    List<MemorizationScore> records = new java.util.ArrayList<>(scores.size());
    for (int i = 0; i < scores.size(); i++) {
      records.add(
          MemorizationScore.newBuilder()
              .setModelId(modelId)
              .setModelVersion(version)
              .setExampleId(scores.ids()[i])
              .setProxy(ContractEnums.contract(Bootstrap.PROXY))
              .setScore(scores.values()[i])
              .setHigherIsMoreMemorized(Bootstrap.PROXY.higherIsMoreMemorized())
              .setDistribution(distribution)
              .setDatasetId(datasetId)
              .setComputedAt(computedAt)
              .build());
    }
    return records;
  }

  /**
   * @param startedAt when the worker took up the job that produced the version
   */
  static UnlearningMetrics metrics(VersionManifest manifest, Instant startedAt, Instant now) {
    VersionManifest.Evidence evidence = manifest.evidence();
    return UnlearningMetrics.newBuilder()
        .setModelId(manifest.modelId())
        .setVersion(manifest.version())
        .setJobId(manifest.jobId())
        .setForgetSetId(manifest.forgetSetId())
        .setLevel(ContractEnums.recordedLevel(manifest.level()))
        .setAlgorithm(ContractEnums.recordedAlgorithm(manifest.algorithm()))
        .setForgetSize(evidence.forgetSize())
        .setRetainSize(evidence.retainSize())
        .setForgetAccuracy(evidence.forgetAccuracy())
        .setRetainAccuracy(evidence.retainAccuracy())
        .setTestAccuracy(evidence.testAccuracy())
        .setMia(evidence.mia())
        .setEntanglement(evidence.entanglement())
        .setTow(null)
        .setTowMia(null)
        .setWallTimeMillis(evidence.wallTimeMillis())
        .setDevice(manifest.device())
        .setMeasuredAt(now)
        .setStartedAt(startedAt)
        .setStatus(manifest.status())
        .setGate(GateVerdicts.toAvro(manifest.gate()))
        .setAttempt(manifest.attempt())
        .build();
  }

  /**
   * The COMPLETED receipts of a forget set whose last job produced the promoted version {@code
   * last}: for every request, the model version from which all of the set's examples are gone, the
   * outcome of every job of the set (its promoted version) as evidence, the gate's verdict, whether
   * a job escalated to a retrain, and when the older versions were purged.
   */
  static List<DeletionReceipt> completed(
      VersionManifest last,
      List<VersionManifest> promotedOfSet,
      List<RequestSummary> requests,
      Instant purgedAt,
      Instant now) {
    boolean escalated = promotedOfSet.stream().anyMatch(VersionManifest::escalated);
    List<JobOutcome> outcomes =
        promotedOfSet.stream()
            .map(
                v ->
                    new JobOutcome(
                        v.jobId(),
                        ContractEnums.recordedLevel(v.level()),
                        ContractEnums.recordedAlgorithm(v.algorithm()),
                        v.forgetIds().size(),
                        v.version(),
                        v.evidence().forgetAccuracy(),
                        v.evidence().mia()))
            .toList();
    return requests.stream()
        .map(
            request ->
                DeletionReceipt.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setStatus(ReceiptStatus.COMPLETED)
                    .setModelId(last.modelId())
                    .setSubjectHash(request.getSubjectHash())
                    .setReason(request.getReason())
                    .setExampleCount(request.getExampleCount())
                    .setFoldedDuplicateIds(request.getFoldedDuplicateIds())
                    .setLate(request.getLate())
                    .setDeadlineMet(
                        request.getDeadline() == null ? null : !now.isAfter(request.getDeadline()))
                    .setForgetSetId(last.forgetSetId())
                    .setModelVersion(last.version())
                    .setOutcomes(outcomes)
                    .setGate(GateVerdicts.toAvro(last.gate()))
                    .setEscalated(escalated)
                    .setOlderVersionsPurgedAt(purgedAt)
                    .setReceivedAt(request.getReceivedAt())
                    .setDeadline(request.getDeadline())
                    .setIssuedAt(now)
                    .build())
        .toList();
  }
}
