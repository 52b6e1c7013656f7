package dev.rumstream.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AccuracyChangeTest {

  @Test
  void theDropCountsTheExamplesThatTurnedWrongLessThoseThatTurnedRight() {
    boolean[] before = new boolean[1000];
    boolean[] after = new boolean[1000];
    Arrays.fill(before, 0, 900, true);
    Arrays.fill(after, 0, 900, true);
    // 30 turned wrong, 10 turned right: 0.900 -> 0.880.
    Arrays.fill(after, 0, 30, false);
    Arrays.fill(after, 900, 910, true);

    AccuracyChange change = AccuracyChange.between(before, after);

    assertThat(change.drop()).isCloseTo(0.02, within(1e-12));
    assertThat(change.examples()).isEqualTo(1000);
    // Differences: 30 of +1, 10 of -1, 960 of 0; variance (40 - 1000 * 0.02^2) / 999.
    double se = Math.sqrt((40 - 1000 * 0.0004) / 999.0 / 1000);
    assertThat(change.margin()).isCloseTo(1.96 * se, within(1e-12));
    // The unpaired margin of a 0.9 accuracy on 1,000 examples is 0.019: pairing is what makes a
    // drop of 0.02 distinguishable from none.
    assertThat(change.margin()).isLessThan(0.013);
  }

  @Test
  void identicalPredictionsHaveNoDropAndNoMargin() {
    boolean[] same = {true, false, true, true};
    AccuracyChange change = AccuracyChange.between(same, same.clone());
    assertThat(change.drop()).isZero();
    assertThat(change.margin()).isZero();
  }

  @Test
  void predictionsOfDifferentExampleCountsAreRefused() {
    assertThatThrownBy(() -> AccuracyChange.between(new boolean[3], new boolean[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the same examples");
  }

  @Test
  void belowTwoExamplesTheMarginIsUnknown() {
    assertThat(AccuracyChange.between(new boolean[] {true}, new boolean[] {false}).margin())
        .isNaN();
    assertThat(AccuracyChange.between(new boolean[0], new boolean[0]).drop()).isNaN();
  }
}
