package dev.rumstream.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EntanglementTest {

  @Test
  void matchesTheHandComputedRatioOfSpreadToSeparation() {
    // Retain (2-d): (0,0), (2,0) -> mean (1,0), mean squared distance 1.
    // Forget: (1,4), (1,6) -> mean (1,5), mean squared distance 1.
    // Midpoint (1,2.5); ‖μR−μ‖² = ‖μS−μ‖² = 6.25; denominator ½(6.25 + 6.25) = 6.25. ES = 2 / 6.25.
    float[] retain = {0, 0, 2, 0};
    float[] forget = {1, 4, 1, 6};
    assertThat(Entanglement.score(retain, forget, 2)).isCloseTo(0.32, within(1e-12));
  }

  @Test
  void separatedSetsAreLessEntangledThanOverlappingOnes() {
    float[] retain = {0, 0, 1, 1, 0, 1, 1, 0};
    float[] far = {10, 10, 11, 11};
    float[] near = {0.5f, 0.5f, 1, 1};
    assertThat(Entanglement.score(retain, far, 2)).isLessThan(Entanglement.score(retain, near, 2));
  }
}
