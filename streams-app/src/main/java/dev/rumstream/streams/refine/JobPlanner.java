package dev.rumstream.streams.refine;

import dev.rumstream.avro.ForgetExample;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.UnlearnJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a refined forget set into its unlearning jobs: one per non-empty level, LOW then MEDIUM
 * then HIGH (the order of rum-method.md §5.2), each with the policy's algorithm for that level. A
 * level whose algorithm is NONE still gets a job, so the worker records its examples as deleted; an
 * empty level gets none.
 */
public final class JobPlanner {
  private final RefinementPolicy policy;

  public JobPlanner(RefinementPolicy policy) {
    this.policy = policy;
  }

  /**
   * The jobs without request summaries: the caller gives the last job (the one that completes the
   * set's requests) those, once their SCHEDULED audit records exist.
   */
  public List<UnlearnJob> plan(ForgetSet set, Instant now) {
    List<MemorizationLevel> levels = new ArrayList<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      if (set.getExamples().stream().anyMatch(e -> e.getLevel() == level)) {
        levels.add(level);
      }
    }
    List<UnlearnJob> jobs = new ArrayList<>(levels.size());
    for (int index = 0; index < levels.size(); index++) {
      MemorizationLevel level = levels.get(index);
      LevelPlan plan = policy.plan(level);
      jobs.add(
          UnlearnJob.newBuilder()
              .setJobId(jobId(set.getForgetSetId(), index))
              .setForgetSetId(set.getForgetSetId())
              .setModelId(set.getModelId())
              .setIndex(index)
              .setJobCount(levels.size())
              .setLevel(level)
              .setAlgorithm(plan.algorithm())
              .setHyperParameters(plan.hyperParameters())
              .setExampleIds(
                  set.getExamples().stream()
                      .filter(e -> e.getLevel() == level)
                      .map(ForgetExample::getExampleId)
                      .toList())
              .setRequestIds(set.getRequestIds())
              .setCreatedAt(now)
              .setDeadline(set.getEarliestDeadline())
              .build());
    }
    return jobs;
  }

  /** Deterministic, so a job re-emitted after a failure has the id of the first emission. */
  public static String jobId(String forgetSetId, int index) {
    return forgetSetId + "-" + index;
  }
}
