package dev.rumstream.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.engine.Fixtures;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.Classifier;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MembershipInferenceTest {

  @Test
  void theSvcSeparatesConfidentMembersFromUnsureNonMembers() {
    Random random = new Random(1);
    double[] members = random.doubles(400, 0.85, 1.0).toArray();
    double[] nonMembers = random.doubles(400, 0.2, 0.7).toArray();
    double[] lookLikeMembers = random.doubles(100, 0.9, 1.0).toArray();
    double[] lookLikeNonMembers = random.doubles(100, 0.3, 0.6).toArray();
    assertThat(MembershipInference.nonMemberFraction(members, nonMembers, lookLikeMembers))
        .isLessThan(0.05);
    assertThat(MembershipInference.nonMemberFraction(members, nonMembers, lookLikeNonMembers))
        .isGreaterThan(0.95);
  }

  @Test
  void itsAnswerIsLibsvmsForEveryConfidenceUpToTheBoundaries() {
    Random random = new Random(7);
    // Overlapping classes, as real confidences are: many support vectors, several boundaries.
    double[] members = random.doubles(600).map(u -> 1 - 0.6 * u * u).toArray();
    double[] nonMembers = random.doubles(600).map(u -> 1 - 0.9 * u).toArray();
    MembershipInference attack = MembershipInference.fit(members, nonMembers);

    double[] targets = random.doubles(20_000).toArray();
    int boundaries = 0;
    for (int i = 0; i + 1 < targets.length; i++) {
      double low = Math.min(targets[i], targets[i + 1]);
      double high = Math.max(targets[i], targets[i + 1]);
      assertThat(attack.predict(low)).isEqualTo(attack.predictByLibsvm(low));
      if (attack.predictByLibsvm(low) != attack.predictByLibsvm(high)) {
        // Bisect down to two neighbouring doubles that libsvm labels differently.
        while (Math.nextUp(low) < high) {
          double middle = low + (high - low) / 2;
          if (middle <= low || middle >= high) {
            break;
          }
          if (attack.predictByLibsvm(middle) == attack.predictByLibsvm(low)) {
            low = middle;
          } else {
            high = middle;
          }
        }
        assertThat(attack.predict(low)).isEqualTo(attack.predictByLibsvm(low));
        assertThat(attack.predict(high)).isEqualTo(attack.predictByLibsvm(high));
        boundaries++;
      }
    }
    assertThat(boundaries).as("the targets cross the decision boundary").isGreaterThan(10);
    for (double edge : new double[] {0, 1, Double.MIN_VALUE, Math.nextDown(1.0)}) {
      assertThat(attack.predict(edge)).isEqualTo(attack.predictByLibsvm(edge));
    }
  }

  @Test
  void anOverfitModelsHeldOutDataIsCalledNonMemberFarMoreOftenThanItsTrainingData() {
    DatasetSplits splits = Fixtures.fashionSubset(1_400, 600, 31);
    int[] order = Fixtures.sample(splits.train(), 1_400, 5).allRows();
    ImageDataset training = splits.train().subset("trained", Arrays.copyOfRange(order, 0, 800));
    ImageDataset heldOut = splits.train().subset("held-out", Arrays.copyOfRange(order, 800, 1_400));
    Inference inference = new Inference(512);
    try (Classifier overfit = Fixtures.trainSmallCnn(training, 15, 0.1, 3)) {
      assertThat(inference.accuracy(overfit, training, training.allRows())).isGreaterThan(0.98);
      // Shadow members: 500 training examples; shadow non-members: 500 test examples (the paper's
      // protocol).
      double[] members =
          inference
              .predict(overfit, training, Arrays.copyOf(training.allRows(), 500))
              .trueClassConfidence();
      double[] nonMembers =
          inference
              .predict(overfit, splits.test(), Arrays.copyOf(splits.test().allRows(), 500))
              .trueClassConfidence();
      double[] trainedTargets =
          inference
              .predict(overfit, training, Arrays.copyOfRange(training.allRows(), 500, 800))
              .trueClassConfidence();
      double[] heldOutTargets =
          inference
              .predict(overfit, heldOut, Arrays.copyOf(heldOut.allRows(), 300))
              .trueClassConfidence();

      double trainedCalledNonMember =
          MembershipInference.nonMemberFraction(members, nonMembers, trainedTargets);
      double heldOutCalledNonMember =
          MembershipInference.nonMemberFraction(members, nonMembers, heldOutTargets);
      assertThat(heldOutCalledNonMember).isGreaterThan(trainedCalledNonMember + 0.1);
    }
  }
}
