package dev.rumstream.engine.train;

import java.util.List;

/** What a from-scratch training run measured: wall seconds and mean training loss per epoch. */
public record TrainingRun(List<Double> epochSeconds, List<Double> epochLoss) {

  public TrainingRun {
    epochSeconds = List.copyOf(epochSeconds);
    epochLoss = List.copyOf(epochLoss);
  }

  public double meanEpochSeconds() {
    return epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(0.0);
  }
}
