package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.memorization.MemorizationLevel;
import dev.rumstream.engine.memorization.ProxyKind;
import org.junit.jupiter.api.Test;

/** Every constant maps to its namesake and back, so neither side can gain one unnoticed. */
class ContractEnumsTest {
  @Test
  void everyAlgorithmAndLevelMapsBothWays() {
    for (UnlearningAlgorithm algorithm : UnlearningAlgorithm.values()) {
      assertThat(ContractEnums.algorithm(ContractEnums.contract(algorithm))).isEqualTo(algorithm);
    }
    for (dev.rumstream.avro.UnlearningAlgorithm contract :
        dev.rumstream.avro.UnlearningAlgorithm.values()) {
      assertThat(ContractEnums.contract(ContractEnums.algorithm(contract))).isEqualTo(contract);
    }
    for (MemorizationLevel level : MemorizationLevel.values()) {
      assertThat(ContractEnums.level(ContractEnums.contract(level))).isEqualTo(level);
    }
    assertThat(MemorizationLevel.values())
        .hasSameSizeAs(dev.rumstream.avro.MemorizationLevel.values());
  }

  @Test
  void theEngineComputesFiveOfTheContractsSevenProxies() {
    for (ProxyKind proxy : ProxyKind.values()) {
      assertThat(ContractEnums.proxy(ContractEnums.contract(proxy))).isEqualTo(proxy);
    }
    assertThat(dev.rumstream.avro.ProxyKind.values()).hasSize(ProxyKind.values().length + 2);
    assertThatThrownBy(() -> ContractEnums.proxy(dev.rumstream.avro.ProxyKind.FELDMAN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FELDMAN")
        .hasMessageContaining("does not compute");
  }
}
