package dev.rumstream.bench.rum;

import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.algorithms.UnlearningRequest;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RUM's sequential composition: each step starts from the previous step's model; step k's retain
 * set excludes every id deleted before the plan plus the sub-batches of steps 1..k, including steps
 * whose algorithm is NONE, while the sub-batches of later steps stay in it (as the paper's code
 * does).
 */
public final class Rum {

  private static final Logger LOG = LoggerFactory.getLogger(Rum.class);

  private final ImageDataset train;

  public Rum(ImageDataset train) {
    this.train = train;
  }

  /**
   * Runs the plan on {@code model} in place; {@code original} (θo) is handed to steps that need it
   * (SalUn's mask).
   */
  public List<RumStepResult> run(
      Classifier model,
      Optional<Classifier> original,
      List<RumStep> plan,
      DeletionLedger deletedBefore) {
    List<RumStepResult> results = new ArrayList<>();
    DeletionLedger ledger = deletedBefore;
    for (int i = 0; i < plan.size(); i++) {
      RumStep step = plan.get(i);
      UnlearningRequest request = new UnlearningRequest(train, step.forgetIds(), ledger, original);
      UnlearningOutcome outcome = step.unlearner().unlearn(model, request);
      RumStepResult result = new RumStepResult(step, outcome, ledger, request.deletedAfter());
      LOG.info(
          "RUM step {}/{} ({}): {} on {} examples, retain {}, {} ms",
          i + 1,
          plan.size(),
          step.label(),
          outcome.algorithm(),
          outcome.forgetSize(),
          outcome.retainSize(),
          outcome.wallTimeMillis());
      ledger = result.deletedAfter();
      results.add(result);
    }
    return results;
  }
}
