package dev.rumstream.engine.eval;

import dev.rumstream.engine.algorithms.UnlearningOutcome;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The evidence for one unlearning step, field for field the Avro {@code UnlearningMetrics}
 * (accuracies and MIA as fractions; ToW and ToW-MIA only when a retrained reference was measured).
 */
public record UnlearningReport(
    String label,
    UnlearningOutcome outcome,
    double forgetAccuracy,
    double retainAccuracy,
    double testAccuracy,
    double mia,
    OptionalDouble entanglement,
    OptionalDouble tow,
    OptionalDouble towMia,
    String device) {

  public static UnlearningReport of(
      String label,
      UnlearningOutcome outcome,
      Measurement unlearned,
      java.util.Optional<Measurement> retrained,
      String device) {
    Accuracies a = unlearned.accuracies();
    OptionalDouble tow =
        retrained
            .map(r -> OptionalDouble.of(TugOfWar.tow(a, r.accuracies())))
            .orElse(OptionalDouble.empty());
    OptionalDouble towMia =
        retrained
            .map(
                r ->
                    OptionalDouble.of(TugOfWar.towMia(a, unlearned.mia(), r.accuracies(), r.mia())))
            .orElse(OptionalDouble.empty());
    return new UnlearningReport(
        label,
        outcome,
        a.forget(),
        a.retain(),
        a.test(),
        unlearned.mia(),
        unlearned.entanglement(),
        tow,
        towMia,
        device);
  }

  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-28s %-14s %6s %6s %7s %7s %7s %6s %6s %7s %9s",
        "step",
        "algorithm",
        "|S|",
        "|R|",
        "acc_S",
        "acc_R",
        "acc_te",
        "MIA",
        "ES",
        "ToW",
        "wall_ms");
  }

  public String row() {
    return String.format(
            Locale.ROOT,
            "%-28s %-14s %6d %6d %7.4f %7.4f %7.4f %6.3f %6s %7s %9d",
            label,
            outcome.algorithm(),
            outcome.forgetSize(),
            outcome.retainSize(),
            forgetAccuracy,
            retainAccuracy,
            testAccuracy,
            mia,
            format(entanglement),
            format(tow),
            outcome.wallTimeMillis())
        + (towMia.isPresent()
            ? String.format(Locale.ROOT, "  ToW-MIA %.4f", towMia.getAsDouble())
            : "");
  }

  private static String format(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.3f", value.getAsDouble()) : "-";
  }
}
