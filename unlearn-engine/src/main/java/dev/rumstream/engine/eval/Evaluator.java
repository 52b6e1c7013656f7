package dev.rumstream.engine.eval;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures a model on evaluation sets: accuracies, the SVC MIA on the forget set, and the
 * entanglement score.
 */
public final class Evaluator {

  private final EngineConfig config;
  private final Inference inference;
  private final AtomicReference<FittedAttack> lastAttack = new AtomicReference<>();

  public Evaluator(EngineConfig config) {
    this.config = config;
    this.inference = new Inference(config.evalBatchSize());
  }

  public Inference inference() {
    return inference;
  }

  public Accuracies accuracies(Classifier model, EvaluationSets sets) {
    return new Accuracies(
        inference.accuracy(model, sets.train(), sets.forgetRows()),
        inference.accuracy(model, sets.train(), sets.retainRows()),
        inference.accuracy(model, sets.test(), sets.test().allRows()));
  }

  /**
   * The SVC attack on true-class confidence: shadow members are the first n retain examples, shadow
   * non-members the first n test examples, n = min(|R|, |test|, the configured shadow size); target
   * = the forget set.
   */
  public double mia(Classifier model, EvaluationSets sets) {
    int n = shadowSize(sets);
    return MembershipInference.nonMemberFraction(
        inference
            .predict(model, sets.train(), Arrays.copyOf(sets.retainRows(), n))
            .trueClassConfidence(),
        inference
            .predict(model, sets.test(), Arrays.copyOf(sets.test().allRows(), n))
            .trueClassConfidence(),
        inference.predict(model, sets.train(), sets.forgetRows()).trueClassConfidence());
  }

  /**
   * The attack's non-member fractions on the forget set, on the test examples after the first n
   * (held out from its fit), then on each extra target.
   */
  private double[] attackRates(
      Predictions retain, Predictions test, Predictions forget, int n, double[]... extra) {
    FittedAttack fitted = attackOn(retain, test, n);
    double[] fractions = new double[2 + extra.length];
    fractions[0] = fitted.attack().nonMemberFraction(forget.trueClassConfidence());
    fractions[1] = fitted.heldOutRate();
    for (int t = 0; t < extra.length; t++) {
      fractions[2 + t] = fitted.attack().nonMemberFraction(extra[t]);
    }
    return fractions;
  }

  /**
   * The attack fitted on the first n retain and test predictions, with its rate on the rest of the
   * test set: the last one when it came from exactly these confidences (parameters measured again,
   * for a version that changed none), otherwise fitted now.
   */
  private FittedAttack attackOn(Predictions retain, Predictions test, int n) {
    double[] members = Arrays.copyOf(retain.trueClassConfidence(), n);
    double[] testConfidence = test.trueClassConfidence();
    FittedAttack last = lastAttack.get();
    if (last != null && last.isFrom(members, testConfidence)) {
      return last;
    }
    MembershipInference attack = MembershipInference.fit(members, Arrays.copyOf(testConfidence, n));
    FittedAttack fitted =
        new FittedAttack(
            members,
            testConfidence.clone(),
            attack,
            attack.nonMemberFraction(Arrays.copyOfRange(testConfidence, n, testConfidence.length)));
    lastAttack.set(fitted);
    return fitted;
  }

  /**
   * An attack fitted on {@code members} and the first as many {@code test} confidences, and its
   * rate on the other test confidences.
   */
  private record FittedAttack(
      double[] members, double[] test, MembershipInference attack, double heldOutRate) {
    boolean isFrom(double[] shadowMembers, double[] testConfidence) {
      return Arrays.equals(members, shadowMembers) && Arrays.equals(test, testConfidence);
    }
  }

  private int shadowSize(EvaluationSets sets) {
    return shadowSize(sets.retainRows().length, sets.test().size());
  }

  /** n = min(|retain|, |test|, the configured shadow size). */
  private int shadowSize(int retain, int test) {
    return Math.min(config.miaShadowSize(), Math.min(retain, test));
  }

  /**
   * Entanglement of the forget set with (a seeded sample of) the retain set, in {@code model}'s
   * embedding.
   */
  public double entanglement(Classifier model, EvaluationSets sets) {
    int[] retain = sets.retainRows();
    if (retain.length > config.embeddingSample()) {
      retain =
          Arrays.copyOf(
              dev.rumstream.engine.data.Batches.shuffled(retain, new Random(config.seed())),
              config.embeddingSample());
    }
    return Entanglement.score(
        inference.embeddings(model, sets.train(), retain),
        inference.embeddings(model, sets.train(), sets.forgetRows()),
        model.embeddingSize());
  }

  /**
   * As {@link #measure(Classifier, EvaluationSets, boolean)} without entanglement, plus the
   * accuracy and attack rate of each part of the forget set (rows of {@code sets.train()}, each a
   * subset of the forget rows), all from one prediction pass and one attack fit.
   */
  public PartMeasurement measure(Classifier model, EvaluationSets sets, int[]... parts) {
    Predictions forget = inference.predict(model, sets.train(), sets.forgetRows());
    Predictions retain = inference.predict(model, sets.train(), sets.retainRows());
    Predictions test = inference.predict(model, sets.test(), sets.test().allRows());
    double[][] partConfidence = new double[parts.length][];
    double[] accuracies = new double[parts.length];
    for (int p = 0; p < parts.length; p++) {
      int[] positions =
          Arrays.stream(parts[p])
              .map(
                  row -> {
                    int at = Arrays.binarySearch(sets.forgetRows(), row);
                    if (at < 0) {
                      throw new IllegalArgumentException("row " + row + " is not a forget row");
                    }
                    return at;
                  })
              .toArray();
      partConfidence[p] =
          Arrays.stream(positions).mapToDouble(i -> forget.trueClassConfidence()[i]).toArray();
      accuracies[p] =
          positions.length == 0
              ? Double.NaN
              : Arrays.stream(positions).filter(i -> forget.correct()[i]).count()
                  / (double) positions.length;
    }
    double[] attack = attackRates(retain, test, forget, shadowSize(sets), partConfidence);
    Measurement whole =
        new Measurement(
            new Accuracies(forget.accuracy(), retain.accuracy(), test.accuracy()),
            attack[0],
            attack[1],
            OptionalDouble.empty());
    return new PartMeasurement(whole, accuracies, Arrays.copyOfRange(attack, 2, attack.length));
  }

  /**
   * Accuracies, MIA and optionally entanglement. Every example is predicted once: the attack's
   * shadow sets are the first rows of the retain and test predictions the accuracies already need.
   */
  public Measurement measure(Classifier model, EvaluationSets sets, boolean withEntanglement) {
    Measurement measured = measure(model, sets, predictions(model, sets));
    if (!withEntanglement) {
      return measured;
    }
    return new Measurement(
        measured.accuracies(),
        measured.mia(),
        measured.heldOutMia(),
        OptionalDouble.of(entanglement(model, sets)));
  }

  /** The model's predictions of the sets' retain rows and test set, for measuring it again. */
  public EvaluationPredictions predictions(Classifier model, EvaluationSets sets) {
    return new EvaluationPredictions(
        sets.retainRows(),
        inference.predict(model, sets.train(), sets.retainRows()),
        inference.predict(model, sets.test(), sets.test().allRows()));
  }

  /**
   * As {@link #measure(Classifier, EvaluationSets, boolean)} without entanglement, predicting the
   * forget rows only, for parameters measured before: {@code known} holds their predictions of the
   * test set and of the retain rows they were measured on, these sets' retain rows or more (a
   * version that changed no parameter since). The accuracies are taken on these sets' rows; the
   * attack is the parameters' own, fitted on the first rows of {@code known}, so the same
   * parameters are always asked by the same attack (and its last fit is reused).
   */
  public Measurement measure(Classifier model, EvaluationSets sets, EvaluationPredictions known) {
    if (known.test().correct().length != sets.test().size()) {
      throw new IllegalArgumentException(
          known.test().correct().length
              + " test predictions for a test set of "
              + sets.test().size());
    }
    Predictions forget = inference.predict(model, sets.train(), sets.forgetRows());
    Predictions retain = known.forRetainRows(sets.retainRows()).retain();
    Predictions test = known.test();
    double[] attack =
        attackRates(
            known.retain(),
            test,
            forget,
            shadowSize(known.retainRows().length, test.correct().length));
    return new Measurement(
        new Accuracies(forget.accuracy(), retain.accuracy(), test.accuracy()),
        attack[0],
        attack[1],
        OptionalDouble.empty());
  }
}
