package dev.rumstream.worker;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.JobOutcome;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.RequestSummary;
import dev.rumstream.avro.UnlearningMetrics;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.time.Instant;
import java.util.List;

/**
 * The records that announce a stored version (step 6 of the flow): the version itself, its
 * evidence, and, once the last job of a forget set is stored, a COMPLETED receipt for every request
 * of the set.
 */
final class Announcements {
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
        .build();
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
        .build();
  }

  /**
   * The COMPLETED receipts of a forget set whose last job produced {@code last}: for every request,
   * the model version from which all of the set's examples are gone and the outcome of every job of
   * the set as evidence.
   */
  static List<DeletionReceipt> completed(
      VersionManifest last,
      List<VersionManifest> jobsOfSet,
      List<RequestSummary> requests,
      Instant now) {
    List<JobOutcome> outcomes =
        jobsOfSet.stream()
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
                    .setForgetSetId(last.forgetSetId())
                    .setModelVersion(last.version())
                    .setOutcomes(outcomes)
                    .setReceivedAt(request.getReceivedAt())
                    .setDeadline(request.getDeadline())
                    .setIssuedAt(now)
                    .build())
        .toList();
  }
}
