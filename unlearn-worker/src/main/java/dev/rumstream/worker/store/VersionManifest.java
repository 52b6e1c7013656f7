package dev.rumstream.worker.store;

import dev.rumstream.avro.VersionStatus;
import dev.rumstream.worker.lifecycle.GateResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one stored model version is and where it came from: the record an auditor reads next to the
 * parameters. Version 0 is the trained original; every later version is one applied job.
 *
 * @param deletedIds every example deleted from this model up to and including this version (the
 *     ledger), a {@link DeletedIds}; stored as a bitmap file beside the manifests, read on first
 *     use
 * @param forgetIds the examples this version's job removed (empty for version 0)
 * @param status where the version stands in its lifecycle; manifests from before the lifecycle read
 *     as PROMOTED
 * @param statusChangedAt when it took that status
 * @param promotedAt when it was promoted (it stays set after it is superseded and purged); null for
 *     versions never promoted
 * @param supersededAt when a newer version was promoted over it (its purge grace starts then)
 * @param gate the promotion gate's verdict; null for version 0 and for retrains from scratch
 * @param attempt which try of the job produced it: 1 the level's algorithm, 2 its fallback, 3 a
 *     retrain from scratch
 * @param escalated whether it is a retrain from scratch a job escalated to
 */
public record VersionManifest(
    String modelId,
    long version,
    Long parentVersion,
    String jobId,
    String forgetSetId,
    String level,
    String algorithm,
    Map<String, String> hyperParameters,
    List<String> requestIds,
    List<Long> forgetIds,
    List<Long> deletedIds,
    String datasetId,
    long datasetSize,
    String architecture,
    String checksum,
    long sizeBytes,
    Instant createdAt,
    String device,
    Evidence evidence,
    VersionStatus status,
    Instant statusChangedAt,
    Instant promotedAt,
    Instant supersededAt,
    GateResult gate,
    int attempt,
    boolean escalated) {

  public VersionManifest {
    hyperParameters = Map.copyOf(hyperParameters);
    if (status == null) {
      status = VersionStatus.PROMOTED;
      promotedAt = createdAt;
    }
    attempt = attempt == 0 ? 1 : attempt;
    requestIds = List.copyOf(requestIds);
    forgetIds = List.copyOf(forgetIds);
    deletedIds = DeletedIds.copyOf(deletedIds);
  }

  /**
   * Version 0 of a model: the trained original, promoted from the start.
   *
   * @param recipe the training recipe it was trained with (what a retrain from scratch follows)
   */
  public static VersionManifest original(
      String modelId,
      Map<String, String> recipe,
      String datasetId,
      long datasetSize,
      String architecture,
      Instant createdAt,
      String device,
      Evidence evidence) {
    return new VersionManifest(
        modelId,
        0,
        null,
        null,
        null,
        null,
        null,
        recipe,
        List.of(),
        List.of(),
        List.of(),
        datasetId,
        datasetSize,
        architecture,
        null,
        0,
        createdAt,
        device,
        evidence,
        VersionStatus.PROMOTED,
        createdAt,
        createdAt,
        null,
        null,
        1,
        false);
  }

  /**
   * The measurements taken on this version. Null fields were not measured.
   *
   * @param mia the fraction of the forget set the attack calls non-member
   * @param heldOutMia the fraction of held-out test examples (not used to fit the attack) it calls
   *     non-member: what a true non-member gets, the reference of the under-forgetting check
   * @param retainEvaluated how many retain examples the retain accuracy (and the attack's shadow
   *     members) were measured on: the model's fixed evaluation sample minus its deleted examples;
   *     null in manifests from before the fixed sample
   * @param testEvaluated how many test examples the test accuracy was measured on; null as above
   */
  public record Evidence(
      Double forgetAccuracy,
      double retainAccuracy,
      double testAccuracy,
      Double mia,
      Double heldOutMia,
      Double entanglement,
      int forgetSize,
      int retainSize,
      long wallTimeMillis,
      Integer retainEvaluated,
      Integer testEvaluated) {

    /** Evidence without the evaluation sample sizes (older manifests, tests). */
    public Evidence(
        Double forgetAccuracy,
        double retainAccuracy,
        double testAccuracy,
        Double mia,
        Double heldOutMia,
        Double entanglement,
        int forgetSize,
        int retainSize,
        long wallTimeMillis) {
      this(
          forgetAccuracy,
          retainAccuracy,
          testAccuracy,
          mia,
          heldOutMia,
          entanglement,
          forgetSize,
          retainSize,
          wallTimeMillis,
          null,
          null);
    }

    /** Evidence without the held-out reference (version 0, tests). */
    public Evidence(
        Double forgetAccuracy,
        double retainAccuracy,
        double testAccuracy,
        Double mia,
        Double entanglement,
        int forgetSize,
        int retainSize,
        long wallTimeMillis) {
      this(
          forgetAccuracy,
          retainAccuracy,
          testAccuracy,
          mia,
          null,
          entanglement,
          forgetSize,
          retainSize,
          wallTimeMillis);
    }
  }

  /** {@code Version 3 of model m}, for messages. */
  public String label() {
    return "Version " + version + " of model " + modelId;
  }

  /** This version with another status, taken at {@code at}. */
  public VersionManifest withStatus(VersionStatus newStatus, Instant at) {
    return lifecycle(
        newStatus,
        at,
        newStatus == VersionStatus.PROMOTED && promotedAt == null ? at : promotedAt,
        newStatus == VersionStatus.SUPERSEDED && supersededAt == null ? at : supersededAt,
        gate);
  }

  /**
   * This version with its purge grace started at {@code at} and its status kept: a rejected
   * candidate stays REJECTED, so the audit record still says it failed.
   */
  public VersionManifest withSupersededAt(Instant at) {
    return lifecycle(status, statusChangedAt, promotedAt, at, gate);
  }

  /** This version with the gate's verdict on it. */
  public VersionManifest withGate(GateResult verdict) {
    return lifecycle(status, statusChangedAt, promotedAt, supersededAt, verdict);
  }

  private VersionManifest lifecycle(
      VersionStatus newStatus,
      Instant newStatusChangedAt,
      Instant newPromotedAt,
      Instant newSupersededAt,
      GateResult newGate) {
    return copy(
        checksum,
        sizeBytes,
        newStatus,
        newStatusChangedAt,
        newPromotedAt,
        newSupersededAt,
        newGate);
  }

  /** The ledger, as a {@link DeletedIds}: its count without reading it, fast lookups. */
  public DeletedIds deleted() {
    return (DeletedIds) deletedIds;
  }

  VersionManifest withDeletedIds(DeletedIds ledger) {
    return new VersionManifest(
        modelId,
        version,
        parentVersion,
        jobId,
        forgetSetId,
        level,
        algorithm,
        hyperParameters,
        requestIds,
        forgetIds,
        ledger,
        datasetId,
        datasetSize,
        architecture,
        checksum,
        sizeBytes,
        createdAt,
        device,
        evidence,
        status,
        statusChangedAt,
        promotedAt,
        supersededAt,
        gate,
        attempt,
        escalated);
  }

  VersionManifest withFile(String newChecksum, long newSizeBytes) {
    return copy(newChecksum, newSizeBytes, status, statusChangedAt, promotedAt, supersededAt, gate);
  }

  private VersionManifest copy(
      String newChecksum,
      long newSizeBytes,
      VersionStatus newStatus,
      Instant newStatusChangedAt,
      Instant newPromotedAt,
      Instant newSupersededAt,
      GateResult newGate) {
    return new VersionManifest(
        modelId,
        version,
        parentVersion,
        jobId,
        forgetSetId,
        level,
        algorithm,
        hyperParameters,
        requestIds,
        forgetIds,
        deletedIds,
        datasetId,
        datasetSize,
        architecture,
        newChecksum,
        newSizeBytes,
        createdAt,
        device,
        evidence,
        newStatus,
        newStatusChangedAt,
        newPromotedAt,
        newSupersededAt,
        newGate,
        attempt,
        escalated);
  }
}
