package dev.rumstream.engine;

/**
 * The one place for engine-wide settings that are not per-job hyper-parameters.
 *
 * @param seed seeds parameter initialization, shuffling, sampling and the MIA's shadow sample
 * @param device which device to run on (AUTO picks a GPU when DJL sees one)
 * @param evalBatchSize batch size of inference passes (accuracy, confidences, embeddings); 128 by
 *     default, about twice as fast as 1,024 on 2 CPU cores (ENGINE.md, "Measured"); a GPU wants
 *     larger ones
 * @param miaShadowSize members and non-members each used to fit the SVC attacker; the paper uses
 *     10,000, the default is 2,000 because libsvm's fit grows about quadratically (minutes at
 *     10,000 on 2 cores)
 * @param embeddingSample retain examples embedded for the entanglement score (bounds its cost)
 * @param progress whether training and unlearning report progress: a bar per epoch on a terminal,
 *     else a log line every 10% of a run
 */
public record EngineConfig(
    long seed,
    DevicePreference device,
    int evalBatchSize,
    int miaShadowSize,
    int embeddingSample,
    boolean progress) {

  public EngineConfig {
    if (evalBatchSize <= 0 || miaShadowSize <= 0 || embeddingSample <= 0) {
      throw new IllegalArgumentException("batch and sample sizes must be positive");
    }
  }

  public static EngineConfig defaults() {
    return new EngineConfig(1L, DevicePreference.AUTO, 128, 2_000, 5_000, false);
  }

  public EngineConfig withSeed(long newSeed) {
    return new EngineConfig(
        newSeed, device, evalBatchSize, miaShadowSize, embeddingSample, progress);
  }

  public EngineConfig withProgress(boolean enabled) {
    return new EngineConfig(seed, device, evalBatchSize, miaShadowSize, embeddingSample, enabled);
  }

  public EngineConfig withMiaShadowSize(int size) {
    return new EngineConfig(seed, device, evalBatchSize, size, embeddingSample, progress);
  }

  public EngineConfig withEvalBatchSize(int size) {
    return new EngineConfig(seed, device, size, miaShadowSize, embeddingSample, progress);
  }

  public EngineConfig withDevice(DevicePreference preference) {
    return new EngineConfig(
        seed, preference, evalBatchSize, miaShadowSize, embeddingSample, progress);
  }

  /** Where to run. */
  public enum DevicePreference {
    AUTO,
    CPU,
    GPU
  }
}
