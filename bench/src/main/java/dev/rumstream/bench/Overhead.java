package dev.rumstream.bench;

import static dev.rumstream.bench.BenchJson.round;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The overhead comparison: medians of each side, in wall and in CPU time. */
record Overhead(
    List<Timing> plain,
    List<Timing> recording,
    Timing holdout,
    String loadBefore,
    String loadAfter) {
  double wallRatio() {
    return median(recording, Timing::wall) / median(plain, Timing::wall);
  }

  double cpuRatio() {
    return median(recording, Timing::cpu) / median(plain, Timing::cpu);
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "training with the learning-event proxies recorded / plain training "
            + "(medians of %d rounds): wall %.1f / %.1f s = %.3f, CPU %.1f / %.1f s = %.3f; holdout retraining "
            + "%s = %.3f × plain training (wall); load average %s before, %s after",
        plain.size(),
        median(recording, Timing::wall),
        median(plain, Timing::wall),
        wallRatio(),
        median(recording, Timing::cpu),
        median(plain, Timing::cpu),
        cpuRatio(),
        holdout.format(),
        holdout.wall() / median(plain, Timing::wall),
        loadBefore,
        loadAfter);
  }

  Map<String, Object> toJson() {
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("measuredAt", Instant.now().toString());
    cost.put("loadAverageBefore", loadBefore);
    cost.put("loadAverageAfter", loadAfter);
    cost.put("plainTraining", plain);
    cost.put("recordingTraining", recording);
    cost.put("overheadRatioWall", round(wallRatio(), 4));
    cost.put("overheadRatioCpu", round(cpuRatio(), 4));
    cost.put("holdoutRetraining", holdout);
    cost.put("holdoutRetrainingRatioWall", round(holdout.wall() / median(plain, Timing::wall), 4));
    cost.put("holdoutRetrainingRatioCpu", round(holdout.cpu() / median(plain, Timing::cpu), 4));
    return cost;
  }

  private static double median(List<Timing> timings, ToDoubleFunction<Timing> part) {
    double[] v = timings.stream().mapToDouble(part).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
