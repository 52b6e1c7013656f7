package dev.rumstream.engine.model;

/** The networks the engine can build. */
public enum Architecture {
  /**
   * conv32-BN-pool, conv64-BN-pool, fc128-BN embedding, linear head: the CPU default (0.42 M
   * parameters at 28x28).
   */
  SMALL_CNN,
  /**
   * CIFAR-style ResNet-18: 3x3 stem, no max-pool, four stages of two basic blocks, global average
   * pool.
   */
  RESNET18
}
