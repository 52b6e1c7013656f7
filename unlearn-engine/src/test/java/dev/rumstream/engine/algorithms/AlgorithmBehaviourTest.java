package dev.rumstream.engine.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.eval.Accuracies;
import dev.rumstream.engine.eval.EvaluationSets;
import dev.rumstream.engine.eval.Evaluator;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.Losses;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each algorithm, on a small CNN trained on 3,000 Fashion-MNIST images, moves the metrics the way
 * it must.
 */
class AlgorithmBehaviourTest {

  private static ImageDataset train;
  private static ImageDataset test;
  private static Classifier original;
  private static long[] forgetIds;
  private static EvaluationSets sets;
  private static Accuracies before;
  private static final Evaluator EVALUATOR = new Evaluator(Fixtures.CONFIG);

  @BeforeAll
  static void trainOriginal() {
    DatasetSplits splits = Fixtures.fashionSubset(3_000, 1_000, 7);
    train = splits.train();
    test = splits.test();
    original = Fixtures.trainSmallCnn(train, 3, 0.1, 7);
    ImageDataset forget = Fixtures.sample(train, 300, 99);
    forgetIds = forget.ids(forget.allRows());
    sets = EvaluationSets.of(train, test, forgetIds, DeletionLedger.empty());
    before = EVALUATOR.accuracies(original, sets);
  }

  @AfterAll
  static void close() {
    original.close();
  }

  private static UnlearningRequest request() {
    return new UnlearningRequest(train, forgetIds, DeletionLedger.empty(), Optional.of(original));
  }

  private static Unlearner unlearner(UnlearningAlgorithm algorithm, Map<String, String> hp) {
    return Unlearners.create(algorithm, hp, Fixtures.CONFIG);
  }

  @Test
  void originalModelFitsItsForgetSet() {
    assertThat(before.forget()).isGreaterThan(0.8);
    assertThat(before.test()).isGreaterThan(0.75);
  }

  @Test
  void negGradLowersForgetAccuracy() {
    try (Classifier model = original.copy()) {
      UnlearningOutcome outcome =
          unlearner(UnlearningAlgorithm.NEG_GRAD, Map.of("lr", "0.05", "epochs", "5"))
              .unlearn(model, request());
      Accuracies after = EVALUATOR.accuracies(model, sets);
      assertThat(after.forget()).isLessThan(before.forget() - 0.2);
      assertThat(outcome.forgetSize()).isEqualTo(300);
    }
  }

  @Test
  void negGradPlusForgetsMoreThanFineTuneWhileItsRetainTermHoldsTheRest() {
    // At lr 0.05 the ascent term made this model diverge to chance in 1 of 10 runs from parameters
    // perturbed by one part in a million (and once in CI); at 0.04 in none of 25.
    Map<String, String> shared = Map.of("epochs", "2", "lr", "0.04", "retain_count", "1500");
    try (Classifier negGradPlus = original.copy();
        Classifier fineTuned = original.copy()) {
      Map<String, String> withAlpha = new java.util.HashMap<>(shared);
      withAlpha.put("alpha", "0.8");
      unlearner(UnlearningAlgorithm.NEG_GRAD_PLUS, withAlpha).unlearn(negGradPlus, request());
      unlearner(UnlearningAlgorithm.FINE_TUNE, shared).unlearn(fineTuned, request());
      Accuracies ng = EVALUATOR.accuracies(negGradPlus, sets);
      Accuracies ft = EVALUATOR.accuracies(fineTuned, sets);
      // A random forget set is in-distribution, so the ascent term moves it only a little; but it
      // must move it
      // below where the same steps without that term leave it, at no real cost on the retain set.
      assertThat(ng.forget()).isLessThan(ft.forget() - 0.02).isLessThan(before.forget());
      assertThat(ng.retain()).isGreaterThan(before.retain() - 0.02);
      assertThat(ng.retain() - ng.forget()).isGreaterThan(before.retain() - before.forget());
    }
  }

  @Test
  void fineTuneKeepsRetainAccuracy() {
    try (Classifier model = original.copy()) {
      UnlearningOutcome outcome =
          unlearner(UnlearningAlgorithm.FINE_TUNE, Map.of("epochs", "2")).unlearn(model, request());
      Accuracies after = EVALUATOR.accuracies(model, sets);
      assertThat(after.retain()).isGreaterThanOrEqualTo(before.retain() - 0.02);
      assertThat(outcome.retainSize()).isEqualTo(train.size() - forgetIds.length);
      assertThat(
              changedValues(
                  Fixtures.trainableSnapshot(original), Fixtures.trainableSnapshot(model)))
          .isPositive();
    }
  }

  @Test
  void l1SparseShrinksTheWeightsMoreThanFineTuneWithTheSameSteps() {
    Map<String, String> shared = Map.of("epochs", "2", "retain_count", "1000");
    try (Classifier fineTuned = original.copy();
        Classifier sparse = original.copy()) {
      unlearner(UnlearningAlgorithm.FINE_TUNE, shared).unlearn(fineTuned, request());
      Map<String, String> withAlpha = new java.util.HashMap<>(shared);
      withAlpha.put("alpha", "0.001");
      unlearner(UnlearningAlgorithm.L1_SPARSE, withAlpha).unlearn(sparse, request());
      assertThat(Losses.l1Norm(sparse.trainableParameters()).getFloat())
          .isLessThan(Losses.l1Norm(fineTuned.trainableParameters()).getFloat());
    }
  }

  @Test
  void randomLabelLowersForgetAccuracy() {
    try (Classifier model = original.copy()) {
      unlearner(
              UnlearningAlgorithm.RANDOM_LABEL,
              Map.of("lr", "0.05", "epochs", "2", "retain_count", "1000"))
          .unlearn(model, request());
      Accuracies after = EVALUATOR.accuracies(model, sets);
      assertThat(after.forget()).isLessThan(before.forget() - 0.1);
    }
  }

  @Test
  void salUnLeavesMaskedOutWeightsBitIdenticalAndMovesTheOthers() {
    try (Classifier model = original.copy()) {
      SalUn salUn =
          (SalUn)
              unlearner(
                  UnlearningAlgorithm.SALUN,
                  Map.of("lr", "0.05", "epochs", "1", "retain_count", "1000"));
      SaliencyMask mask = salUn.mask(model, request());
      assertThat(mask.selected()).isEqualTo(Math.round(0.5 * mask.total()));
      List<float[]> start = Fixtures.trainableSnapshot(model);

      salUn.unlearn(model, request());

      List<float[]> end = Fixtures.trainableSnapshot(model);
      long maskedOut = 0;
      long movedInside = 0;
      for (int p = 0; p < start.size(); p++) {
        float[] m = mask.values().get(p);
        for (int i = 0; i < m.length; i++) {
          boolean same =
              Float.floatToRawIntBits(start.get(p)[i]) == Float.floatToRawIntBits(end.get(p)[i]);
          if (m[i] == 0f) {
            assertThat(same).as("masked-out weight %d of parameter %d", i, p).isTrue();
            maskedOut++;
          } else if (!same) {
            movedInside++;
          }
        }
      }
      assertThat(maskedOut).isEqualTo(mask.total() - mask.selected());
      assertThat(movedInside).isGreaterThan(mask.selected() / 2);
    }
  }

  @Test
  void scrubNeverChangesItsTeacherAndMovesTheStudentAwayOnTheForgetSet() {
    try (Classifier student = original.copy();
        Classifier teacher = original.copy()) {
      teacher.freeze();
      List<float[]> teacherBefore = Fixtures.snapshot(teacher);
      Scrub scrub =
          (Scrub)
              unlearner(
                  UnlearningAlgorithm.SCRUB,
                  Map.of("epochs", "2", "lr", "0.01", "retain_count", "1000"));
      UnlearningRequest request = request();
      int[] retainRows = RetainSet.rows(train, request.deletedAfter(), 1.0, 1000, 1);
      scrub.scrub(student, teacher, request, request.forgetRows(), retainRows);

      List<float[]> teacherAfter = Fixtures.snapshot(teacher);
      for (int i = 0; i < teacherBefore.size(); i++) {
        assertThat(Arrays.equals(teacherBefore.get(i), teacherAfter.get(i)))
            .as("teacher parameter %d", i)
            .isTrue();
      }
      assertThat(
              changedValues(teacherBefore.subList(0, 1), Fixtures.snapshot(student).subList(0, 1)))
          .isPositive();
      assertThat(EVALUATOR.accuracies(student, sets).forget()).isLessThan(before.forget());
    }
  }

  @Test
  void retrainNeverSeesTheForgetSet() {
    try (Classifier model = original.copy()) {
      unlearner(UnlearningAlgorithm.RETRAIN, Map.of("epochs", "3")).unlearn(model, request());
      Accuracies after = EVALUATOR.accuracies(model, sets);
      // Unseen data: the forget set is scored like the test set, not like the training data.
      assertThat(after.forget()).isLessThan(after.retain());
      assertThat(Math.abs(after.forget() - after.test())).isLessThan(0.06);
      assertThat(after.test()).isGreaterThan(0.7);
    }
  }

  @Test
  void noneLeavesEveryParameterAlone() {
    try (Classifier model = original.copy()) {
      UnlearningOutcome outcome =
          unlearner(UnlearningAlgorithm.NONE, Map.of()).unlearn(model, request());
      assertThat(changedValues(Fixtures.snapshot(original), Fixtures.snapshot(model))).isZero();
      assertThat(outcome.forgetSize()).isEqualTo(300);
      assertThat(outcome.hyperParameters()).isEmpty();
    }
  }

  private static long changedValues(List<float[]> a, List<float[]> b) {
    long changed = 0;
    for (int p = 0; p < a.size(); p++) {
      for (int i = 0; i < a.get(p).length; i++) {
        changed +=
            Float.floatToRawIntBits(a.get(p)[i]) == Float.floatToRawIntBits(b.get(p)[i]) ? 0 : 1;
      }
    }
    return changed;
  }
}
