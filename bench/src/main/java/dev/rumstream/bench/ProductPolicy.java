package dev.rumstream.bench;

import dev.rumstream.avro.ForgetExample;
import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.bench.rum.RefinedForgetSet;
import dev.rumstream.config.Settings;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.algorithms.Unlearner;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.streams.StreamsApp;
import dev.rumstream.streams.TopologyConfig;
import dev.rumstream.streams.refine.LevelPlan;
import dev.rumstream.streams.refine.Refiner;
import dev.rumstream.worker.Announcements;
import dev.rumstream.worker.ContractEnums;
import dev.rumstream.worker.JobApplier;
import dev.rumstream.worker.WorkerConfig;
import dev.rumstream.worker.lifecycle.FallbackPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The product's default policy exactly as the streams app and the worker run it, from their own
 * defaults files and code: a forget set is refined by the streams app's {@link Refiner} with its
 * default cut rule on θo's scores as the worker publishes them (the confidence proxy with its
 * training-set tertiles), and each level gets the default preset's algorithm and hyper-parameters
 * merged with the worker's job defaults as {@link JobApplier} merges them. The promotion gate is
 * not applied here: what it would decide is computed from the rows (RESULTS.md).
 */
record ProductPolicy(
    TopologyConfig streams, Map<String, String> workerDefaults, FallbackPolicy fallbacks) {

  static ProductPolicy defaults() {
    return withPolicy("");
  }

  /**
   * The product with other policy settings: the streams app's keys under {@code rumstream.policy.},
   * {@code ;}-separated (for example {@code preset=RUM;high.hp.lr=0.01}).
   */
  static ProductPolicy withPolicy(String settings) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String setting : settings.split(";")) {
      if (setting.isBlank()) {
        continue;
      }
      int eq = setting.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("Not a setting (key=value): " + setting);
      }
      overrides.put(
          "rumstream.policy." + setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
    }
    WorkerConfig worker = WorkerConfig.from(Settings.of(WorkerConfig.DEFAULTS, Map.of()));
    return new ProductPolicy(
        TopologyConfig.from(Settings.of(StreamsApp.DEFAULTS, overrides)),
        worker.defaultHyperParameters(),
        worker.fallbacks());
  }

  /** The forget set's levels as the streams app assigns them from θo's published scores. */
  RefinedForgetSet refine(long[] forget, MemorizationScores scoresOfOriginal) {
    Map<Long, MemorizationScore> published = new HashMap<>();
    for (MemorizationScore score :
        Announcements.scores("quality", 0, "quality", Instant.EPOCH, scoresOfOriginal)) {
      published.put(score.getExampleId(), score);
    }
    List<Refiner.Candidate> candidates = new ArrayList<>();
    for (long id : forget) {
      candidates.add(new Refiner.Candidate(id, List.of()));
    }
    Refiner.Refined refined = new Refiner(streams.cutRule()).refine(candidates, published::get);
    Map<MemorizationLevel, List<Long>> byLevel = new EnumMap<>(MemorizationLevel.class);
    for (ForgetExample example : refined.examples()) {
      byLevel
          .computeIfAbsent(ContractEnums.level(example.getLevel()), l -> new ArrayList<>())
          .add(example.getExampleId());
    }
    Map<MemorizationLevel, long[]> levels = new EnumMap<>(MemorizationLevel.class);
    byLevel.forEach((l, ids) -> levels.put(l, ids.stream().mapToLong(Long::longValue).toArray()));
    return new RefinedForgetSet(levels);
  }

  /**
   * Each level's unlearner as the worker would build it; {@code retainCount} ≥ 0 replaces the
   * retain sample of the algorithms that take one (0 = the whole retain set), -1 keeps the
   * worker's.
   */
  Map<MemorizationLevel, Unlearner> plan(UnlearningEngine engine, int retainCount) {
    Map<MemorizationLevel, Unlearner> plan = new EnumMap<>(MemorizationLevel.class);
    for (MemorizationLevel level : MemorizationLevel.values()) {
      LevelPlan levelPlan = streams.policy().plan(ContractEnums.contract(level));
      plan.put(
          level,
          unlearner(
              engine,
              ContractEnums.algorithm(levelPlan.algorithm()),
              levelPlan.hyperParameters(),
              retainCount));
    }
    return plan;
  }

  /**
   * What the product runs after the gate rejected the preset's candidates at MEDIUM and HIGH: the
   * preset at LOW (a no-op the gate passes), the worker's default fallback at the two others.
   */
  Map<MemorizationLevel, Unlearner> fallbackPlan(UnlearningEngine engine) {
    return fallbackPlan(engine, fallbacks);
  }

  /** As {@link #fallbackPlan(UnlearningEngine)} with another fallback policy (a candidate). */
  Map<MemorizationLevel, Unlearner> fallbackPlan(
      UnlearningEngine engine, FallbackPolicy candidate) {
    Map<MemorizationLevel, Unlearner> plan = plan(engine, -1);
    for (MemorizationLevel level : List.of(MemorizationLevel.MEDIUM, MemorizationLevel.HIGH)) {
      FallbackPolicy.Fallback fallback = candidate.forLevel(level);
      plan.put(level, unlearner(engine, fallback.algorithm(), fallback.hyperParameters(), -1));
    }
    return plan;
  }

  private Unlearner unlearner(
      UnlearningEngine engine,
      UnlearningAlgorithm algorithm,
      Map<String, String> fromJob,
      int retainCount) {
    Map<String, String> known = engine.defaultHyperParameters(algorithm);
    Map<String, String> hp =
        new TreeMap<>(JobApplier.hyperParameters(known, workerDefaults, algorithm, fromJob));
    if (retainCount >= 0 && known.containsKey("retain_count")) {
      hp.put("retain_count", Integer.toString(retainCount));
    }
    return engine.unlearner(algorithm, hp);
  }

  /** What the results file records of the policy. */
  Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("refinement", streams.cutRule().method().name() + " of the CONFIDENCE proxy of θo");
    Map<String, Object> levels = new LinkedHashMap<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      LevelPlan p = streams.policy().plan(ContractEnums.contract(level));
      levels.put(level.name(), p.algorithm() + " " + new TreeMap<>(p.hyperParameters()));
    }
    d.put("levels", levels);
    Map<String, Object> fallback = new LinkedHashMap<>();
    for (MemorizationLevel level : MemorizationLevel.values()) {
      FallbackPolicy.Fallback f = fallbacks.forLevel(level);
      fallback.put(level.name(), f.algorithm() + " " + new TreeMap<>(f.hyperParameters()));
    }
    d.put("gateFallback", fallback);
    d.put("workerJobDefaults", new TreeMap<>(workerDefaults));
    return d;
  }
}
