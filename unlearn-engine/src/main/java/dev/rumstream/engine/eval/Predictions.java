package dev.rumstream.engine.eval;

/** Per-example true-class confidence and top-1 correctness, in the order of the rows asked for. */
public record Predictions(double[] trueClassConfidence, boolean[] correct) {

  public double accuracy() {
    if (correct.length == 0) {
      return Double.NaN;
    }
    int hits = 0;
    for (boolean c : correct) {
      hits += c ? 1 : 0;
    }
    return (double) hits / correct.length;
  }

  /** The entries at these positions, in their order. */
  Predictions at(int[] positions) {
    double[] confidence = new double[positions.length];
    boolean[] hits = new boolean[positions.length];
    for (int i = 0; i < positions.length; i++) {
      confidence[i] = trueClassConfidence[positions[i]];
      hits[i] = correct[positions[i]];
    }
    return new Predictions(confidence, hits);
  }
}
