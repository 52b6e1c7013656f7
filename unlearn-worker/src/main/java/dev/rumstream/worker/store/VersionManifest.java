package dev.rumstream.worker.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one stored model version is and where it came from: the record an auditor reads next to the
 * parameters. Version 0 is the trained original; every later version is one applied job.
 *
 * @param deletedIds every example deleted from this model up to and including this version (the
 *     ledger)
 * @param forgetIds the examples this version's job removed (empty for version 0)
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
    Evidence evidence) {

  public VersionManifest {
    hyperParameters = Map.copyOf(hyperParameters);
    requestIds = List.copyOf(requestIds);
    forgetIds = List.copyOf(forgetIds);
    deletedIds = List.copyOf(deletedIds);
  }

  /** The measurements taken on this version. Null fields were not measured. */
  public record Evidence(
      Double forgetAccuracy,
      double retainAccuracy,
      double testAccuracy,
      Double mia,
      Double entanglement,
      int forgetSize,
      int retainSize,
      long wallTimeMillis) {}

  VersionManifest withFile(String newChecksum, long newSizeBytes) {
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
        evidence);
  }
}
