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
    HyperParameters hp = new HyperParameters(hyperParameters);
    Unlearner unlearner =
        switch (algorithm) {
          case NONE -> new NoOp();
          case RETRAIN -> new Retrain(config, hp);
          case FINE_TUNE -> new FineTune(config, hp);
          case L1_SPARSE -> new L1Sparse(config, hp);
          case NEG_GRAD -> new NegGrad(config, hp);
          case NEG_GRAD_PLUS -> new NegGradPlus(config, hp);
          case SCRUB -> new Scrub(config, hp);
          case RANDOM_LABEL -> new RandomLabel(config, hp);
          case SALUN -> new SalUn(config, hp);
        };
    hp.requireAllRead(algorithm);
    return unlearner;
  }
}
