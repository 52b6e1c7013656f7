package dev.rumstream.worker;

import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.ProxyKind;

/**
 * The one mapping between the contract's enums (Avro, dev.rumstream.avro) and the engine's, which
 * knows nothing of Avro. Both sides name their constants alike, so a constant maps to its namesake;
 * {@code ContractEnumsTest} fails when a constant is added on one side only.
 */
public final class ContractEnums {

  private ContractEnums() {}

  public static UnlearningAlgorithm algorithm(dev.rumstream.avro.UnlearningAlgorithm contract) {
    return namesake(contract, UnlearningAlgorithm.class);
  }

  public static dev.rumstream.avro.UnlearningAlgorithm contract(UnlearningAlgorithm algorithm) {
    return namesake(algorithm, dev.rumstream.avro.UnlearningAlgorithm.class);
  }

  public static MemorizationLevel level(dev.rumstream.avro.MemorizationLevel contract) {
    return namesake(contract, MemorizationLevel.class);
  }

  public static dev.rumstream.avro.MemorizationLevel contract(MemorizationLevel level) {
    return namesake(level, dev.rumstream.avro.MemorizationLevel.class);
  }

  /** The engine computes five of the contract's proxies; the other two fail here. */
  public static ProxyKind proxy(dev.rumstream.avro.ProxyKind contract) {
    return namesake(contract, ProxyKind.class);
  }

  public static dev.rumstream.avro.ProxyKind contract(ProxyKind proxy) {
    return namesake(proxy, dev.rumstream.avro.ProxyKind.class);
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

  private static <T extends Enum<T>> T namesake(Enum<?> constant, Class<T> type) {
    try {
      return Enum.valueOf(type, constant.name());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the "
              + type.getSimpleName()
              + " of "
              + constant.getClass().getName()
              + " "
              + constant
              + " does not exist: the engine does not compute it",
          e);
    }
  }
}
