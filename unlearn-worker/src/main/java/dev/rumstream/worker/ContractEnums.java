package dev.rumstream.worker;

import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.ProxyKind;

/**
 * The one mapping between the contract's enums (Avro, dev.rumstream.avro) and the engine's, which
 * knows nothing of Avro. Exhaustive switches: a constant added on either side fails the build here.
 */
public final class ContractEnums {

  private ContractEnums() {}

  public static UnlearningAlgorithm algorithm(dev.rumstream.avro.UnlearningAlgorithm contract) {
    return switch (contract) {
      case NONE -> UnlearningAlgorithm.NONE;
      case RETRAIN -> UnlearningAlgorithm.RETRAIN;
      case FINE_TUNE -> UnlearningAlgorithm.FINE_TUNE;
      case L1_SPARSE -> UnlearningAlgorithm.L1_SPARSE;
      case NEG_GRAD -> UnlearningAlgorithm.NEG_GRAD;
      case NEG_GRAD_PLUS -> UnlearningAlgorithm.NEG_GRAD_PLUS;
      case SCRUB -> UnlearningAlgorithm.SCRUB;
      case RANDOM_LABEL -> UnlearningAlgorithm.RANDOM_LABEL;
      case SALUN -> UnlearningAlgorithm.SALUN;
    };
  }

  public static dev.rumstream.avro.UnlearningAlgorithm contract(UnlearningAlgorithm algorithm) {
    return switch (algorithm) {
      case NONE -> dev.rumstream.avro.UnlearningAlgorithm.NONE;
      case RETRAIN -> dev.rumstream.avro.UnlearningAlgorithm.RETRAIN;
      case FINE_TUNE -> dev.rumstream.avro.UnlearningAlgorithm.FINE_TUNE;
      case L1_SPARSE -> dev.rumstream.avro.UnlearningAlgorithm.L1_SPARSE;
      case NEG_GRAD -> dev.rumstream.avro.UnlearningAlgorithm.NEG_GRAD;
      case NEG_GRAD_PLUS -> dev.rumstream.avro.UnlearningAlgorithm.NEG_GRAD_PLUS;
      case SCRUB -> dev.rumstream.avro.UnlearningAlgorithm.SCRUB;
      case RANDOM_LABEL -> dev.rumstream.avro.UnlearningAlgorithm.RANDOM_LABEL;
      case SALUN -> dev.rumstream.avro.UnlearningAlgorithm.SALUN;
    };
  }

  public static MemorizationLevel level(dev.rumstream.avro.MemorizationLevel contract) {
    return switch (contract) {
      case LOW -> MemorizationLevel.LOW;
      case MEDIUM -> MemorizationLevel.MEDIUM;
      case HIGH -> MemorizationLevel.HIGH;
    };
  }

  public static dev.rumstream.avro.MemorizationLevel contract(MemorizationLevel level) {
    return switch (level) {
      case LOW -> dev.rumstream.avro.MemorizationLevel.LOW;
      case MEDIUM -> dev.rumstream.avro.MemorizationLevel.MEDIUM;
      case HIGH -> dev.rumstream.avro.MemorizationLevel.HIGH;
    };
  }

  /** The engine computes five of the contract's proxies; the other two fail here. */
  public static ProxyKind proxy(dev.rumstream.avro.ProxyKind contract) {
    return switch (contract) {
      case CONFIDENCE -> ProxyKind.CONFIDENCE;
      case MAX_CONFIDENCE -> ProxyKind.MAX_CONFIDENCE;
      case NEGATIVE_ENTROPY -> ProxyKind.NEGATIVE_ENTROPY;
      case BINARY_ACCURACY -> ProxyKind.BINARY_ACCURACY;
      case HOLDOUT_RETRAINING -> ProxyKind.HOLDOUT_RETRAINING;
      case LOSS_CURVATURE, FELDMAN ->
          throw new IllegalArgumentException("the engine does not compute the proxy " + contract);
    };
  }

  public static dev.rumstream.avro.ProxyKind contract(ProxyKind proxy) {
    return switch (proxy) {
      case CONFIDENCE -> dev.rumstream.avro.ProxyKind.CONFIDENCE;
      case MAX_CONFIDENCE -> dev.rumstream.avro.ProxyKind.MAX_CONFIDENCE;
      case NEGATIVE_ENTROPY -> dev.rumstream.avro.ProxyKind.NEGATIVE_ENTROPY;
      case BINARY_ACCURACY -> dev.rumstream.avro.ProxyKind.BINARY_ACCURACY;
      case HOLDOUT_RETRAINING -> dev.rumstream.avro.ProxyKind.HOLDOUT_RETRAINING;
    };
  }

  /**
   * The contract's algorithm for the name a version manifest records (the engine's constant name).
   */
  static dev.rumstream.avro.UnlearningAlgorithm recordedAlgorithm(String name) {
    return name == null ? null : contract(UnlearningAlgorithm.valueOf(name));
  }

  /** The contract's level for the name a version manifest records (the job's level). */
  static dev.rumstream.avro.MemorizationLevel recordedLevel(String name) {
    return name == null ? null : contract(MemorizationLevel.valueOf(name));
  }
}
