package dev.rumstream.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.GateCheck;
import dev.rumstream.avro.GateVerdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateVerdictsTest {
  @Test
  void everyCheckIsCarriedOverIncludingNotApplicableOnes() {
    GateResult result =
        new GateResult(
            false,
            7L,
            List.of(
                new GateResult.Check("test-accuracy-drop", 0.25, 0.125, false, 0.0078125),
                new GateResult.Check("over-forgetting", null, null, true)));

    GateVerdict verdict = GateVerdicts.toAvro(result);

    assertThat(verdict.getPassed()).isFalse();
    assertThat(verdict.getBaselineVersion()).isEqualTo(7L);
    assertThat(verdict.getChecks())
        .containsExactly(
            new GateCheck("test-accuracy-drop", 0.25, 0.125, false, 0.0078125),
            new GateCheck("over-forgetting", null, null, true, null));
  }

  @Test
  void noResultIsNoVerdict() {
    assertThat(GateVerdicts.toAvro(null)).isNull();
    assertThat(GateVerdicts.toAvro(new GateResult(true, null, List.of())).getBaselineVersion())
        .isNull();
  }
}
