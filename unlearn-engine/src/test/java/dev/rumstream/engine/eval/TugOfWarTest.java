package dev.rumstream.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TugOfWarTest {

  @Test
  void towMultipliesOneMinusTheAbsoluteAccuracyGaps() {
    Accuracies unlearned = new Accuracies(0.80, 0.95, 0.90);
    Accuracies retrained = new Accuracies(0.90, 0.97, 0.91);
    // (1 - 0.10) * (1 - 0.02) * (1 - 0.01) = 0.9 * 0.98 * 0.99
    assertThat(TugOfWar.tow(unlearned, retrained)).isCloseTo(0.873180, within(1e-9));
  }

  @Test
  void overForgettingIsPenalizedLikeUnderForgetting() {
    Accuracies retrained = new Accuracies(0.85, 0.99, 0.90);
    double under = TugOfWar.tow(new Accuracies(0.95, 0.99, 0.90), retrained);
    double over = TugOfWar.tow(new Accuracies(0.75, 0.99, 0.90), retrained);
    assertThat(under).isCloseTo(0.9, within(1e-12));
    assertThat(over).isCloseTo(0.9, within(1e-12));
    assertThat(TugOfWar.tow(retrained, retrained)).isEqualTo(1.0);
  }

  @Test
  void towMiaReplacesTheForgetAccuracyTermWithTheMiaGap() {
    Accuracies unlearned = new Accuracies(0.10, 0.96, 0.88);
    Accuracies retrained = new Accuracies(0.90, 0.98, 0.90);
    // (1 - |0.30 - 0.45|) * (1 - 0.02) * (1 - 0.02) = 0.85 * 0.98 * 0.98; the forget accuracies do
    // not enter.
    assertThat(TugOfWar.towMia(unlearned, 0.30, retrained, 0.45)).isCloseTo(0.81634, within(1e-9));
  }
}
