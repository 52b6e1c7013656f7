package dev.rumstream.streams.refine;

import dev.rumstream.avro.ForgetExample;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ProxyKind;
import dev.rumstream.avro.Refinement;
import dev.rumstream.avro.RefinementMethod;
import dev.rumstream.avro.ScoreDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Annotates every example of a forget set with its memorization score and level. An example without
 * a score is never dropped: it goes to HIGH (the conservative choice: it gets the strongest
 * treatment) and is flagged.
 */
public final class Refiner {
  private final CutRule rule;

  public Refiner(CutRule rule) {
    this.rule = rule;
  }

  /** An example of the set before refinement. */
  public record Candidate(long exampleId, List<String> requestIds) {
    public Candidate {
      requestIds = List.copyOf(requestIds);
    }
  }

  /**
   * The refined set: examples in their original order, each with its level, and the rule that was
   * applied.
   */
  public record Refined(List<ForgetExample> examples, Refinement refinement, int unscoredCount) {}

  /**
   * @param candidates the set's distinct examples
   * @param scoreOf the model's score of an example, or null when it has none
   */
  public Refined refine(List<Candidate> candidates, LongFunction<MemorizationScore> scoreOf) {
    List<MemorizationScore> scores =
        candidates.stream().map(c -> scoreOf.apply(c.exampleId())).toList();
    Optional<MemorizationScore> any = scores.stream().filter(s -> s != null).findFirst();
    ProxyKind proxy = any.map(MemorizationScore::getProxy).orElse(ProxyKind.CONFIDENCE);
    boolean higherIsMore = any.map(MemorizationScore::getHigherIsMoreMemorized).orElse(false);
    ScoreDistribution training = any.map(MemorizationScore::getDistribution).orElse(null);
    List<Double> raw =
        scores.stream().filter(s -> s != null).map(MemorizationScore::getScore).toList();

    CutRule applied =
        rule.method() == RefinementMethod.TRAINING_TERTILES && training == null
            ? new ForgetSetTertiles()
            : rule;
    Cuts cuts = applied.cuts(raw, training, higherIsMore);

    List<ForgetExample> examples = new ArrayList<>(candidates.size());
    int unscored = 0;
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      MemorizationScore score = scores.get(i);
      if (score == null) {
        unscored++;
        examples.add(
            new ForgetExample(
                candidate.exampleId(),
                candidate.requestIds(),
                null,
                false,
                MemorizationLevel.HIGH));
      } else {
        examples.add(
            new ForgetExample(
                candidate.exampleId(),
                candidate.requestIds(),
                score.getScore(),
                true,
                cuts.levelOf(score.getScore())));
      }
    }
    Refinement refinement =
        new Refinement(applied.method(), proxy, higherIsMore, cuts.lowerCut(), cuts.upperCut());
    return new Refined(examples, refinement, unscored);
  }
}
