package dev.rumstream.cli;

import dev.rumstream.engine.model.EngineReport;
import dev.rumstream.worker.WorkerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints what DJL sees here: the first thing to run on a machine meant to unlearn on a GPU. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Prints what DJL sees on this machine: the engine and its version, the PyTorch natives on the "
          + "classpath, the CUDA runtime, the GPUs, the device a job runs on (after "
          + "rumstream.device) and, without a GPU, why not.",
      "Exit code 1 with --require-gpu when no GPU would be used."
    })
final class Doctor implements Callable<Integer> {
  @Mixin WorkerOptions workerOptions;

  @Option(names = "--require-gpu", description = "Fail (exit 1) unless a job would run on a GPU.")
  boolean requireGpu;

  @Override
  public Integer call() {
    WorkerConfig config = workerOptions.load();
    EngineReport report = EngineReport.inspect(config.engine().device());
    report.lines().forEach(System.out::println);
    return requireGpu && !report.device().isGpu() ? 1 : 0;
  }
}
