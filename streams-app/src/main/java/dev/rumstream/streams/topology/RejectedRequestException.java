package dev.rumstream.streams.topology;

/**
 * A deletion request that was read but fails validation. Thrown by the intake after it issued the
 * REJECTED receipt, so the processing exception handler sends the original bytes to the dead-letter
 * topic.
 */
public final class RejectedRequestException extends RuntimeException {
  private final String rule;

  RejectedRequestException(String rule, String reason) {
    super(reason, null, false, false);
    this.rule = rule;
  }

  /** The short name of the rule that failed (a metric tag). */
  public String rule() {
    return rule;
  }
}
