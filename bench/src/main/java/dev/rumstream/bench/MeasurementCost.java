package dev.rumstream.bench;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.DatasetSplits;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.eval.Accuracies;
import dev.rumstream.engine.eval.EvaluationSets;
import dev.rumstream.engine.eval.Evaluator;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.Devices;
import dev.rumstream.engine.model.ModelSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one worker measurement costs (every job pays it, even a step that runs no algorithm), side
 * by side in one run: separate accuracy and attack passes in batches of 1,024 (before 2026-11-27),
 * and {@code Evaluator.measure}, which predicts every example once, in the configured batch size.
 * Prints both figures and checks they agree.
 */
@Command(
    name = "measurement-cost",
    mixinStandardHelpOptions = true,
    description =
        "Wall time of one worker measurement (accuracies on forget / retain sample / test, SVC MIA), the "
            + "separate passes in batches of --old-batch beside Evaluator.measure in batches of --batch.")
public final class MeasurementCost implements Callable<Integer> {

  @Option(names = "--rounds", description = "rounds of (old, new); default ${DEFAULT-VALUE}")
  private int rounds = 3;

  @Option(
      names = "--old-batch",
      description = "the old evaluation batch size; default ${DEFAULT-VALUE}")
  private int oldBatch = 1024;

  @Option(
      names = "--batch",
      description = "the evaluation batch size now (the engine's default: " + "${DEFAULT-VALUE})")
  private int batch = EngineConfig.defaults().evalBatchSize();

  @Option(
      names = "--retain-sample",
      description = "retain examples measured (the worker's default: " + "${DEFAULT-VALUE})")
  private int retainSample = 10_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new MeasurementCost()).execute(args));
  }

  @Override
  public Integer call() {
    DatasetSplits data = FashionMnist.load(FashionMnist.DEBIAN_DIR, HeldOut.NONE);
    EngineConfig config = EngineConfig.defaults().withDevice(EngineConfig.DevicePreference.CPU);
    Evaluator old = new Evaluator(config.withEvalBatchSize(oldBatch));
    Evaluator now = new Evaluator(config.withEvalBatchSize(batch));
    System.out.printf(
        Locale.ROOT,
        "one measurement: 10 forget examples, %d retain, %d test, MIA %d + %d shadow; "
            + "load average %s%n",
        retainSample,
        data.test().size(),
        config.miaShadowSize(),
        config.miaShadowSize(),
        Machine.loadAverage());
    try (Classifier model =
        Classifier.create(ModelSpec.smallCnn(data.train()), Devices.select(config.device()), 1)) {
      long[] forget = LongStream.rangeClosed(1, 10).toArray();
      EvaluationSets all =
          EvaluationSets.of(data.train(), data.test(), forget, DeletionLedger.empty());
      int[] retain = Arrays.copyOf(Batches.shuffled(all.retainRows(), new Random(1)), retainSample);
      Arrays.sort(retain);
      EvaluationSets sets = new EvaluationSets(all.train(), all.test(), all.forgetRows(), retain);
      for (int round = 1; round <= rounds; round++) {
        long t0 = System.nanoTime();
        Accuracies accuracies = old.accuracies(model, sets);
        double mia = old.mia(model, sets);
        long t1 = System.nanoTime();
        Measurement measured = now.measure(model, sets, false);
        long t2 = System.nanoTime();
        boolean same = measured.accuracies().equals(accuracies) && measured.mia() == mia;
        System.out.printf(
            Locale.ROOT,
            "round %d: separate passes, batch %d: %.2f s; measure, batch %d: %.2f s; "
                + "ratio %.2f; same figures: %s%n",
            round,
            oldBatch,
            (t1 - t0) / 1e9,
            batch,
            (t2 - t1) / 1e9,
            (double) (t2 - t1) / (t1 - t0),
            same);
      }
    }
    System.out.printf(Locale.ROOT, "load average %s%n", Machine.loadAverage());
    return 0;
  }
}
