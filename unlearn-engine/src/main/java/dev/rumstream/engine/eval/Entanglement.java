package dev.rumstream.engine.eval;

/**
 * The entanglement score of the RUM paper: within-set spread over between-set separation of the
 * embeddings, ES = [mean‖φ(r)−μ_R‖² + mean‖φ(s)−μ_S‖²] / [½(‖μ_R−μ‖² + ‖μ_S−μ‖²)] with μ the
 * midpoint of μ_R and μ_S (the paper's code). Exact means, not averages of batch means. Higher =
 * more entangled = harder to unlearn.
 */
public final class Entanglement {

  private Entanglement() {}

  /** Embeddings row-major, {@code dimension} values per example. */
  public static double score(float[] retain, float[] forget, int dimension) {
    double[] muR = mean(retain, dimension);
    double[] muS = mean(forget, dimension);
    double within =
        meanSquaredDistance(retain, muR, dimension) + meanSquaredDistance(forget, muS, dimension);
    double between = 0;
    for (int d = 0; d < dimension; d++) {
      double mu = (muR[d] + muS[d]) / 2.0;
      between += (muR[d] - mu) * (muR[d] - mu) + (muS[d] - mu) * (muS[d] - mu);
    }
    return within / (between / 2.0);
  }

  private static double[] mean(float[] rows, int dimension) {
    int n = rows.length / dimension;
    if (n == 0) {
      throw new IllegalArgumentException("entanglement needs non-empty sets");
    }
    double[] mean = new double[dimension];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dimension; d++) {
        mean[d] += rows[i * dimension + d];
      }
    }
    for (int d = 0; d < dimension; d++) {
      mean[d] /= n;
    }
    return mean;
  }

  private static double meanSquaredDistance(float[] rows, double[] mean, int dimension) {
    int n = rows.length / dimension;
    double total = 0;
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dimension; d++) {
        double diff = rows[i * dimension + d] - mean[d];
        total += diff * diff;
      }
    }
    return total / n;
  }
}
