package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import java.util.Map;

/**
 * Builds the unlearner for an algorithm from a job's hyper-parameter map (absent names take the
 * defaults).
 */
public final class Unlearners {

  private Unlearners() {}

  public static Unlearner create(
      UnlearningAlgorithm algorithm, Map<String, String> hyperParameters, EngineConfig config) {
    long seed = config.seed();
    return switch (algorithm) {
      case NONE -> new NoOp(hyperParameters);
      case RETRAIN -> new Retrain(config, Retrain.Params.parse(hyperParameters, seed));
      case FINE_TUNE -> new FineTune(config, FineTune.parse(hyperParameters, seed));
      case L1_SPARSE -> new L1Sparse(config, L1Sparse.Params.parse(hyperParameters, seed));
      case NEG_GRAD -> new NegGrad(config, NegGrad.parse(hyperParameters, seed));
      case NEG_GRAD_PLUS ->
          new NegGradPlus(config, NegGradPlus.Params.parse(hyperParameters, seed));
      case SCRUB -> new Scrub(config, Scrub.Params.parse(hyperParameters, seed));
      case RANDOM_LABEL -> new RandomLabel(config, RandomLabel.Params.parse(hyperParameters, seed));
      case SALUN -> new SalUn(config, SalUn.Params.parse(hyperParameters, seed));
    };
  }
}
