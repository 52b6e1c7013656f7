package dev.rumstream.engine.data;

/**
 * How much of the shipped training split to hold out, per class, chosen by a seeded shuffle (the
 * paper holds out 10% per class of CIFAR's training images the same way). Held-out examples keep
 * their ids.
 */
public record HeldOut(double fraction, long seed) {

  public static final HeldOut NONE = new HeldOut(0.0, 0L);

  public HeldOut {
    if (fraction < 0.0 || fraction >= 1.0) {
      throw new IllegalArgumentException("held-out fraction must be in [0, 1): " + fraction);
    }
  }
}
