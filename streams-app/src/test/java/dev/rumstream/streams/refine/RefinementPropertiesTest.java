package dev.rumstream.streams.refine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.ForgetExample;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.MemorizationLevel;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.avro.ProxyKind;
import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.avro.WindowCloseReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of refinement and job planning that must hold for every forget set and policy. */
class RefinementPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

  /** A forget set to refine: distinct example ids, some with a score, and the proxy's direction. */
  record Input(
      List<Long> ids, Map<Long, Double> scores, boolean higherIsMore, double lower, double upper) {}

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<List<Long>> ids =
        Arbitraries.longs().between(0, 50_000).set().ofMinSize(1).ofMaxSize(60).map(ArrayList::new);
    return Combinators.combine(
            ids,
            Arbitraries.doubles().between(0, 1).ofScale(3).list().ofSize(60),
            Arbitraries.integers().between(0, 100),
            Arbitraries.of(true, false),
            Arbitraries.doubles().between(0, 1).ofScale(2),
            Arbitraries.doubles().between(0, 1).ofScale(2))
        .as(
            (exampleIds, values, scoredPercent, direction, a, b) -> {
              Map<Long, Double> scores = new HashMap<>();
              for (int i = 0; i < exampleIds.size(); i++) {
                if (i * 100 / exampleIds.size() < scoredPercent) {
                  scores.put(exampleIds.get(i), values.get(i));
                }
              }
              return new Input(exampleIds, scores, direction, Math.min(a, b), Math.max(a, b));
            });
  }

  @Provide
  Arbitrary<CutRule> rules() {
    return Arbitraries.of(
        new TrainingTertiles(), new ForgetSetTertiles(), new FixedCuts(0.25, 0.75));
  }

  @Provide
  Arbitrary<RefinementPolicy> policies() {
    return Arbitraries.of(RefinementPolicy.Preset.values()).map(RefinementPolicy::preset);
  }

  @Property
  void everyExampleLandsInExactlyOneSubBatchInLevelOrder(
      @ForAll("inputs") Input input,
      @ForAll("rules") CutRule rule,
      @ForAll("policies") RefinementPolicy policy) {
    ForgetSet set = refine(input, rule);
    List<UnlearnJob> jobs = new JobPlanner(policy).plan(set, NOW);

    List<Long> planned = jobs.stream().flatMap(j -> j.getExampleIds().stream()).toList();
    assertThat(planned).as("no example twice").doesNotHaveDuplicates();
    assertThat(new HashSet<>(planned)).as("no example lost").isEqualTo(new HashSet<>(input.ids()));

    assertThat(jobs).extracting(UnlearnJob::getLevel).isSorted().doesNotHaveDuplicates();
    for (int i = 0; i < jobs.size(); i++) {
      UnlearnJob job = jobs.get(i);
      assertThat(job.getIndex()).isEqualTo(i);
      assertThat(job.getJobCount()).isEqualTo(jobs.size());
      assertThat(job.getJobId()).isEqualTo(set.getForgetSetId() + "-" + i);
      assertThat(job.getExampleIds()).isNotEmpty();
      Set<MemorizationLevel> levels = new HashSet<>();
      set.getExamples().stream()
          .filter(e -> job.getExampleIds().contains(e.getExampleId()))
          .forEach(e -> levels.add(e.getLevel()));
      assertThat(levels).containsExactly(job.getLevel());
    }
  }

  @Property
  void theUnscoredGoHighAndAreFlagged(
      @ForAll("inputs") Input input, @ForAll("rules") CutRule rule) {
    ForgetSet set = refine(input, rule);
    for (ForgetExample example : set.getExamples()) {
      boolean scored = input.scores().containsKey(example.getExampleId());
      assertThat(example.getScored()).isEqualTo(scored);
      if (!scored) {
        assertThat(example.getLevel()).isEqualTo(MemorizationLevel.HIGH);
        assertThat(example.getScore()).isNull();
      }
    }
    assertThat(set.getUnscoredCount()).isEqualTo(input.ids().size() - input.scores().size());
  }

  @Property
  void theLevelsFollowMemorizationInTheProxysDirection(
      @ForAll("inputs") Input input, @ForAll("rules") CutRule rule) {
    ForgetSet set = refine(input, rule);
    List<ForgetExample> scored =
        set.getExamples().stream().filter(ForgetExample::getScored).toList();
    for (ForgetExample a : scored) {
      for (ForgetExample b : scored) {
        double memorizationA = input.higherIsMore() ? a.getScore() : -a.getScore();
        double memorizationB = input.higherIsMore() ? b.getScore() : -b.getScore();
        if (memorizationA < memorizationB) {
          assertThat(a.getLevel()).isLessThanOrEqualTo(b.getLevel());
        }
      }
      Cuts cuts =
          new Cuts(
              set.getRefinement().getLowerCut(),
              set.getRefinement().getUpperCut(),
              set.getRefinement().getHigherIsMoreMemorized());
      assertThat(cuts.levelOf(a.getScore()))
          .as("recomputable from the recorded cuts")
          .isEqualTo(a.getLevel());
    }
  }

  @Property
  void forgetSetTertilesSplitDistinctScoresIntoThirds(
      @ForAll @IntRange(min = 3, max = 90) int n, @ForAll boolean higherIsMore) {
    List<Long> ids = new ArrayList<>();
    Map<Long, Double> scores = new HashMap<>();
    for (long i = 0; i < n; i++) {
      ids.add(i);
      scores.put(i, (i * 7919 % n) / (double) n);
    }
    ForgetSet set = refine(new Input(ids, scores, higherIsMore, 0, 1), new ForgetSetTertiles());
    for (MemorizationLevel level : MemorizationLevel.values()) {
      long count = set.getExamples().stream().filter(e -> e.getLevel() == level).count();
      assertThat(count).isBetween((long) n / 3, (long) n / 3 + 1);
    }
  }

  @Property
  void thePolicyIsApplied(
      @ForAll("inputs") Input input, @ForAll("policies") RefinementPolicy policy) {
    for (UnlearnJob job : new JobPlanner(policy).plan(refine(input, new TrainingTertiles()), NOW)) {
      LevelPlan plan = policy.plan(job.getLevel());
      assertThat(job.getAlgorithm()).isEqualTo(plan.algorithm());
      assertThat(job.getHyperParameters()).isEqualTo(plan.hyperParameters());
    }
  }

  private static ForgetSet refine(Input input, CutRule rule) {
    ScoreDistribution training =
        new ScoreDistribution(
            50_000L, input.lower(), (input.lower() + input.upper()) / 2, input.upper());
    List<Refiner.Candidate> candidates =
        input.ids().stream().map(id -> new Refiner.Candidate(id, List.of("r-" + id))).toList();
    Refiner.Refined refined =
        new Refiner(rule)
            .refine(
                candidates,
                id -> {
                  Double score = input.scores().get(id);
                  return score == null
                      ? null
                      : MemorizationScore.newBuilder()
                          .setModelId("m")
                          .setModelVersion(0)
                          .setExampleId(id)
                          .setProxy(input.higherIsMore() ? ProxyKind.FELDMAN : ProxyKind.CONFIDENCE)
                          .setScore(score)
                          .setHigherIsMoreMemorized(input.higherIsMore())
                          .setDistribution(training)
                          .setDatasetId("d")
                          .setComputedAt(NOW)
                          .build();
                });
    return ForgetSet.newBuilder()
        .setForgetSetId("m-0-0")
        .setModelId("m")
        .setWindowStart(NOW)
        .setWindowEnd(NOW)
        .setClosedAt(NOW)
        .setCloseReason(WindowCloseReason.WINDOW_END)
        .setRequestIds(List.of("r"))
        .setExamples(refined.examples())
        .setRefinement(refined.refinement())
        .setUnscoredCount(refined.unscoredCount())
        .build();
  }
}
