package dev.rumstream.topics;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.UnlearningMetrics;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every topic of the system (DESIGN.md, "Topics and contracts"): its default name, the Avro
 * contract of its values, and its cleanup policy. Deployments, tests and both applications take
 * topic facts from here.
 */
public enum Topic {
  DELETION_REQUESTS("deletion-requests", DeletionRequest.class, CleanupPolicy.DELETE),
  DELETION_REQUESTS_DLQ("deletion-requests-dlq", null, CleanupPolicy.DELETE),
  MEMORIZATION_SCORES("memorization-scores", MemorizationScore.class, CleanupPolicy.COMPACT),
  FORGET_SETS("forget-sets", ForgetSet.class, CleanupPolicy.DELETE),
  UNLEARN_JOBS("unlearn-jobs", UnlearnJob.class, CleanupPolicy.DELETE),
  MODEL_VERSIONS("model-versions", ModelVersion.class, CleanupPolicy.DELETE),
  UNLEARNING_METRICS("unlearning-metrics", UnlearningMetrics.class, CleanupPolicy.DELETE),
  DELETION_RECEIPTS("deletion-receipts", DeletionReceipt.class, CleanupPolicy.COMPACT);

  /** Kafka's {@code cleanup.policy} values the topics use. */
  public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
      this.configValue = configValue;
    }

    public String configValue() {
      return configValue;
    }
  }

  private final String defaultName;
  private final Class<? extends SpecificRecord> valueType;
  private final CleanupPolicy cleanupPolicy;

  Topic(
      String defaultName, Class<? extends SpecificRecord> valueType, CleanupPolicy cleanupPolicy) {
    this.defaultName = defaultName;
    this.valueType = valueType;
    this.cleanupPolicy = cleanupPolicy;
  }

  public String defaultName() {
    return defaultName;
  }

  /**
   * The Avro contract of the values; empty for the dead-letter topic, which keeps the original
   * bytes.
   */
  public Optional<Class<? extends SpecificRecord>> valueType() {
    return Optional.ofNullable(valueType);
  }

  public CleanupPolicy cleanupPolicy() {
    return cleanupPolicy;
  }
}
