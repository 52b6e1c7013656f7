package dev.rumstream.avro;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One realistic, fully populated record of every topic contract, for round-trip tests. */
public final class SampleRecords {
  private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

  private SampleRecords() {}

  public static DeletionRequest deletionRequest() {
    return DeletionRequest.newBuilder()
        .setRequestId("req-7f3a")
        .setModelId("fmnist-cnn")
        .setSubjectId("user-1042")
        .setExampleIds(List.of(17L, 4711L, 59_999L))
        .setReason(DeletionReason.GDPR_ERASURE)
        .setRequestedAt(T0)
        .setDeadline(T0.plusSeconds(30L * 24 * 3600))
        .setReference("DSR-2026-0113")
        .setSource("privacy-portal")
        .build();
  }

  public static MemorizationScore memorizationScore() {
    return MemorizationScore.newBuilder()
        .setModelId("fmnist-cnn")
        .setModelVersion(0)
        .setExampleId(4711L)
        .setProxy(ProxyKind.CONFIDENCE)
        .setScore(0.4375)
        .setHigherIsMoreMemorized(false)
        .setDistribution(new ScoreDistribution(60_000L, 0.81, 0.93, 0.97))
        .setDatasetId("fashion-mnist")
        .setComputedAt(T0)
        .build();
  }

  public static ForgetSet forgetSet() {
    return ForgetSet.newBuilder()
        .setForgetSetId("fmnist-cnn-1795766400000-0")
        .setModelId("fmnist-cnn")
        .setWindowStart(T0)
        .setWindowEnd(T0.plusSeconds(300))
        .setClosedAt(T0.plusSeconds(301))
        .setCloseReason(WindowCloseReason.WINDOW_END)
        .setRequestIds(List.of("req-7f3a", "req-9b21"))
        .setExamples(
            List.of(
                new ForgetExample(17L, List.of("req-7f3a"), 0.99, true, MemorizationLevel.LOW),
                new ForgetExample(
                    4711L, List.of("req-7f3a", "req-9b21"), 0.4375, true, MemorizationLevel.HIGH),
                new ForgetExample(
                    59_999L, List.of("req-9b21"), null, false, MemorizationLevel.HIGH)))
        .setRefinement(
            new Refinement(
                RefinementMethod.TRAINING_TERTILES, ProxyKind.CONFIDENCE, false, 0.97, 0.81))
        .setUnscoredCount(1)
        .setEarliestDeadline(T0.plusSeconds(30L * 24 * 3600))
        .build();
  }

  public static UnlearnJob unlearnJob() {
    return UnlearnJob.newBuilder()
        .setJobId("fmnist-cnn-1795766400000-0-2")
        .setForgetSetId("fmnist-cnn-1795766400000-0")
        .setModelId("fmnist-cnn")
        .setIndex(2)
        .setJobCount(3)
        .setLevel(MemorizationLevel.HIGH)
        .setAlgorithm(UnlearningAlgorithm.SALUN)
        .setHyperParameters(Map.of("lr", "0.1", "epochs", "5", "mask_fraction", "0.5"))
        .setExampleIds(List.of(4711L, 59_999L))
        .setRequestIds(List.of("req-7f3a", "req-9b21"))
        .setCreatedAt(T0.plusSeconds(301))
        .setDeadline(null)
        .build();
  }

  public static ModelVersion modelVersion() {
    return ModelVersion.newBuilder()
        .setModelId("fmnist-cnn")
        .setVersion(3)
        .setParentVersion(2L)
        .setJobId("fmnist-cnn-1795766400000-0-2")
        .setForgetSetId("fmnist-cnn-1795766400000-0")
        .setAlgorithm(UnlearningAlgorithm.SALUN)
        .setHyperParameters(
            Map.of("lr", "0.1", "epochs", "5", "mask_fraction", "0.5", "momentum", "0.9"))
        .setLocation("file:///var/lib/rumstream/models/fmnist-cnn/v3")
        .setChecksum("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setSizeBytes(1_712_448L)
        .setArchitecture("small-cnn")
        .setDatasetId("fashion-mnist")
        .setDatasetSize(60_000L)
        .setDeletedCount(3L)
        .setCreatedAt(T0.plusSeconds(420))
        .setDevice("cpu")
        .build();
  }

  public static UnlearningMetrics unlearningMetrics() {
    return UnlearningMetrics.newBuilder()
        .setModelId("fmnist-cnn")
        .setVersion(3)
        .setJobId("fmnist-cnn-1795766400000-0-2")
        .setForgetSetId("fmnist-cnn-1795766400000-0")
        .setLevel(MemorizationLevel.HIGH)
        .setAlgorithm(UnlearningAlgorithm.SALUN)
        .setForgetSize(2)
        .setRetainSize(10_000)
        .setForgetAccuracy(0.5)
        .setRetainAccuracy(0.912)
        .setTestAccuracy(0.889)
        .setMia(0.5)
        .setEntanglement(4.2)
        .setTow(null)
        .setTowMia(null)
        .setWallTimeMillis(41_250L)
        .setDevice("cpu")
        .setMeasuredAt(T0.plusSeconds(421))
        .setStartedAt(T0.plusSeconds(372))
        .build();
  }

  public static DeletionReceipt deletionReceipt() {
    return DeletionReceipt.newBuilder()
        .setRequestId("req-7f3a")
        .setStatus(ReceiptStatus.COMPLETED)
        .setModelId("fmnist-cnn")
        .setSubjectHash(
            "hmac-sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8")
        .setReason(DeletionReason.GDPR_ERASURE)
        .setExampleCount(3)
        .setFoldedDuplicateIds(1)
        .setRejection(null)
        .setForgetSetId("fmnist-cnn-1795766400000-0")
        .setModelVersion(3L)
        .setOutcomes(
            List.of(
                new JobOutcome(
                    "fmnist-cnn-1795766400000-0-0",
                    MemorizationLevel.LOW,
                    UnlearningAlgorithm.NONE,
                    1,
                    1L,
                    null,
                    null),
                new JobOutcome(
                    "fmnist-cnn-1795766400000-0-2",
                    MemorizationLevel.HIGH,
                    UnlearningAlgorithm.SALUN,
                    2,
                    3L,
                    0.5,
                    0.5)))
        .setReceivedAt(T0)
        .setDeadline(T0.plusSeconds(30L * 24 * 3600))
        .setIssuedAt(T0.plusSeconds(422))
        .build();
  }

  /** The COMPLETED record of a request's audit trail, chained onto its SCHEDULED record. */
  public static AuditRecord auditRecord() {
    return new dev.rumstream.audit.AuditChain("sample-key", "worker-1")
        .next(
            new dev.rumstream.audit.AuditChain.Link(2, "ab".repeat(32)),
            "req-7f3a",
            AuditTransition.COMPLETED,
            T0.plusSeconds(422),
            "fmnist-cnn",
            Map.of("version", "3", "deadlineMet", "true"));
  }

  /** One record per topic contract, in the order of {@code dev.rumstream.topics.Topic}. */
  public static List<SpecificRecord> oneOfEach() {
    return List.of(
        deletionRequest(),
        memorizationScore(),
        forgetSet(),
        unlearnJob(),
        modelVersion(),
        unlearningMetrics(),
        deletionReceipt(),
        auditRecord());
  }
}
