package dev.rumstream.bench;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.EngineConfig.DevicePreference;
import dev.rumstream.engine.UnlearningEngine;
import dev.rumstream.engine.algorithms.UnlearningAlgorithm;
import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.DeletionLedger;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.eval.Measurement;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.EngineReport;
import dev.rumstream.engine.model.ModelSpec;
import dev.rumstream.engine.train.TrainingRecipe;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The GPU path end to end without a broker ({@code bench/gpu-check.sh}): what DJL sees, then the
 * engine's training of version 0 and one unlearning job on the chosen device, with the device and
 * the timings printed. Refuses to run on the CPU when a GPU is asked for, so a silent fallback
 * cannot pass for a GPU run.
 */
@Command(
    name = "gpu-check",
    mixinStandardHelpOptions = true,
    description =
        "Prints what DJL sees, then trains the small CNN on Fashion-MNIST and runs one unlearning job "
            + "on --device, printing the device, the epoch and job times and the accuracies. Exit "
            + "code 1 when --device GPU is asked for and DJL sees no GPU.")
public final class GpuCheck implements Callable<Integer> {

  @Option(
      names = "--device",
      description = "GPU, or CPU for a side-by-side run; default ${DEFAULT-VALUE}")
  private DevicePreference device = DevicePreference.GPU;

  @Option(names = "--epochs", description = "training epochs; default ${DEFAULT-VALUE}")
  private int epochs = 1;

  @Option(names = "--forget", description = "examples to forget; default ${DEFAULT-VALUE}")
  private int forget = 600;

  @Option(
      names = "--algorithm",
      description = "the unlearning job's algorithm; default ${DEFAULT-VALUE}")
  private UnlearningAlgorithm algorithm = UnlearningAlgorithm.FINE_TUNE;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GpuCheck()).execute(args));
  }

  @Override
  public Integer call() {
    EngineReport report = EngineReport.inspect(device);
    report.lines().forEach(System.out::println);
    if (device == DevicePreference.GPU && !report.device().isGpu()) {
      System.out.println("no GPU: nothing to check (" + report.whyNoGpu() + ")");
      return 1;
    }
    UnlearningEngine engine =
        new UnlearningEngine(EngineConfig.defaults().withDevice(device), FashionMnist.load());
    System.out.printf(Locale.ROOT, "device:         %s%n", engine.device());

    long started = System.nanoTime();
    UnlearningEngine.TrainedModel trained =
        engine.trainOriginal(
            ModelSpec.smallCnn(engine.data().train()),
            TrainingRecipe.paper(epochs, engine.config().seed()));
    double trainSeconds = (System.nanoTime() - started) / 1e9;
    try (Classifier model = trained.model()) {
      System.out.printf(
          Locale.ROOT,
          "training:       %d epoch(s) of %d examples in %.1f s (%.1f s per epoch, with proxies)%n",
          epochs,
          engine.data().train().size(),
          trainSeconds,
          trained.run().meanEpochSeconds());

      long[] forgetIds = new long[forget];
      Random random = new Random(engine.config().seed());
      int[] rows = random.ints(0, engine.data().train().size()).distinct().limit(forget).toArray();
      for (int i = 0; i < forget; i++) {
        forgetIds[i] = engine.data().train().id(rows[i]);
      }
      UnlearningOutcome outcome =
          engine.unlearn(
              model, Optional.empty(), algorithm, Map.of(), forgetIds, DeletionLedger.empty());
      System.out.printf(
          Locale.ROOT,
          "unlearning:     %s on %d forget / %d retain examples in %.1f s (%s)%n",
          outcome.algorithm(),
          outcome.forgetSize(),
          outcome.retainSize(),
          outcome.wallTimeMillis() / 1e3,
          outcome.hyperParameters());

      started = System.nanoTime();
      Measurement measured = engine.measure(model, forgetIds, DeletionLedger.empty(), 10_000);
      System.out.printf(
          Locale.ROOT,
          "measurement:    %.1f s; accuracy forget %.4f, retain %.4f, test %.4f%n",
          (System.nanoTime() - started) / 1e9,
          measured.accuracies().forget(),
          measured.accuracies().retain(),
          measured.accuracies().test());
    }
    return 0;
  }
}
