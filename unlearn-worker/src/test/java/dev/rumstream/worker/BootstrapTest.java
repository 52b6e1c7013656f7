package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rumstream.avro.ScoreDistribution;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.engine.memorization.ProxyKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTest {

  @Test
  void theDistributionHoldsTheTertilesAndMedianOfTheScores() {
    double[] values = new double[301];
    for (int i = 0; i <= 300; i++) {
      values[i] = (300 - i) / 300.0;
    }
    ScoreDistribution distribution = Bootstrap.distribution(values);
    assertThat(distribution.getTrainingSetSize()).isEqualTo(301);
    assertThat(distribution.getLowerTertile()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(distribution.getMedian()).isCloseTo(0.5, within(1e-12));
    assertThat(distribution.getUpperTertile()).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void quantilesInterpolateBetweenClosestRanks() {
    double[] sorted = {1, 2, 4, 8};
    assertThat(Bootstrap.quantile(sorted, 0)).isEqualTo(1);
    assertThat(Bootstrap.quantile(sorted, 1)).isEqualTo(8);
    assertThat(Bootstrap.quantile(sorted, 0.5)).isEqualTo(3);
    assertThat(Bootstrap.quantile(sorted, 1.0 / 3)).isCloseTo(2, within(1e-12));
  }

  @Test
  void storedScoresReadBackExactly(@TempDir Path dir) throws Exception {
    MemorizationScores scores =
        new MemorizationScores(
            ProxyKind.CONFIDENCE, new long[] {3, 1, 2}, new double[] {0.25, 0.125, 0.999});
    Bootstrap.writeScores(scores, dir.resolve("s.bin"));
    MemorizationScores read = Bootstrap.readScores(dir.resolve("s.bin"));
    assertThat(read.kind()).isEqualTo(ProxyKind.CONFIDENCE);
    assertThat(read.ids()).containsExactly(3, 1, 2);
    assertThat(read.values()).containsExactly(0.25, 0.125, 0.999);
  }
}
