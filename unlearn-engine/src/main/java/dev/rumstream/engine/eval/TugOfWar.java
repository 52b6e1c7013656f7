package dev.rumstream.engine.eval;

/**
 * The paper's oracle-relative scores; 1 means indistinguishable from the retrained reference θr.
 */
public final class TugOfWar {

  private TugOfWar() {}

  /** ToW = (1−|Δa_S|)·(1−|Δa_R|)·(1−|Δa_test|), accuracies as fractions. */
  public static double tow(Accuracies unlearned, Accuracies retrained) {
    return (1 - Math.abs(unlearned.forget() - retrained.forget()))
        * (1 - Math.abs(unlearned.retain() - retrained.retain()))
        * (1 - Math.abs(unlearned.test() - retrained.test()));
  }

  /**
   * ToW-MIA: the forget-accuracy term replaced by the MIA (fraction of S predicted non-member)
   * difference.
   */
  public static double towMia(
      Accuracies unlearned, double unlearnedMia, Accuracies retrained, double retrainedMia) {
    return (1 - Math.abs(unlearnedMia - retrainedMia))
        * (1 - Math.abs(unlearned.retain() - retrained.retain()))
        * (1 - Math.abs(unlearned.test() - retrained.test()));
  }
}
