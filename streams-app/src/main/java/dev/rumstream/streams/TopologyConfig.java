package dev.rumstream.streams;

import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.config.Settings;
import dev.rumstream.streams.refine.CutRule;
import dev.rumstream.streams.refine.FixedCuts;
import dev.rumstream.streams.refine.ForgetSetTertiles;
import dev.rumstream.streams.refine.RefinementPolicy;
import dev.rumstream.streams.refine.TrainingTertiles;
import dev.rumstream.streams.topology.RecordBudget;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Period;

/** Everything the deletion topology needs to know, read once from {@link Settings}. */
public record TopologyConfig(
    TopicNames topics,
    int maxExamplesPerRequest,
    Duration maxClockSkew,
    Duration maxRequestAge,
    Duration dedupRetention,
    Period defaultDeadline,
    byte[] subjectHashKey,
    String auditKey,
    String auditActor,
    Duration windowSize,
    Duration windowGrace,
    int maxForgetSetExamples,
    Duration maxWait,
    Duration deadlineMargin,
    Duration flushInterval,
    CutRule cutRule,
    RefinementPolicy policy) {

  /** The subject-hash key of the defaults file: public, so never for production. */
  public static final byte[] DEVELOPMENT_KEY =
      "rumstream-development-key".getBytes(StandardCharsets.UTF_8);

  public TopologyConfig {
    if (windowSize.isZero() || windowSize.isNegative()) {
      throw new IllegalArgumentException("rumstream.window.size must be positive");
    }
    if (maxForgetSetExamples < 1 || maxExamplesPerRequest < 1) {
      throw new IllegalArgumentException("size limits must be at least 1");
    }
    if (maxExamplesPerRequest > RecordBudget.maxExamplesPerRequest()) {
      throw new IllegalArgumentException(
          "rumstream.intake.max.examples.per.request ("
              + maxExamplesPerRequest
              + ") must be at most "
              + RecordBudget.maxExamplesPerRequest()
              + ": a request that large, alone in its forget set, would make a record near the"
              + " broker's 1 MB limit");
    }
    // A record whose id was forgotten must be too old to get a receipt: a resend after the dedup
    // memory expired can then never overwrite the receipt its request already has.
    if (dedupRetention.compareTo(maxRequestAge.plus(maxClockSkew)) <= 0) {
      throw new IllegalArgumentException(
          "rumstream.dedup.retention ("
              + dedupRetention
              + ") must exceed rumstream.intake.max.request.age plus max.clock.skew ("
              + maxRequestAge.plus(maxClockSkew)
              + ")");
    }
  }

  /**
   * The deadline of a request that set none: {@link #defaultDeadline} after it was made, in UTC
   * calendar terms (P1M: the same day next month); null when no default is configured.
   */
  public java.time.Instant defaultDeadline(java.time.Instant requestedAt) {
    return defaultDeadline == null
        ? null
        : requestedAt.atZone(java.time.ZoneOffset.UTC).plus(defaultDeadline).toInstant();
  }

  private static Period period(String key, String text) {
    if (text.isBlank() || text.equalsIgnoreCase("none")) {
      return null;
    }
    try {
      return Period.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          key + " must be an ISO-8601 period such as P1M or P30D, or none: " + text, e);
    }
  }

  public static TopologyConfig from(Settings settings) {
    RefinementMethod method = settings.choice("rumstream.refine.method", RefinementMethod.class);
    CutRule rule =
        switch (method) {
          case TRAINING_TERTILES -> new TrainingTertiles();
          case FORGET_SET_TERTILES -> new ForgetSetTertiles();
          case FIXED ->
              new FixedCuts(
                  settings.decimal("rumstream.refine.fixed.lower"),
                  settings.decimal("rumstream.refine.fixed.upper"));
        };
    return new TopologyConfig(
        settings.topics(),
        settings.integer("rumstream.intake.max.examples.per.request"),
        settings.duration("rumstream.intake.max.clock.skew"),
        settings.duration("rumstream.intake.max.request.age"),
        settings.duration("rumstream.dedup.retention"),
        period(
            "rumstream.request.default.deadline",
            settings.string("rumstream.request.default.deadline", "")),
        settings.string("rumstream.subject.hash.key").getBytes(StandardCharsets.UTF_8),
        settings.string("rumstream.audit.key"),
        settings.string("application.id"),
        settings.duration("rumstream.window.size"),
        settings.duration("rumstream.window.grace"),
        settings.integer("rumstream.window.max.examples"),
        settings.duration("rumstream.window.max.wait"),
        settings.duration("rumstream.window.deadline.margin"),
        settings.duration("rumstream.window.flush.interval"),
        rule,
        RefinementPolicy.of(
            settings.choice("rumstream.policy.preset", RefinementPolicy.Preset.class),
            settings.under("rumstream.policy.")));
  }

  public String topic(Topic<?, ?> topic) {
    return topics.name(topic);
  }
}
