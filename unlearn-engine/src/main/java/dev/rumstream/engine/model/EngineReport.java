package dev.rumstream.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import dev.rumstream.engine.EngineConfig.DevicePreference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * What DJL sees on this machine ({@code rumstream doctor}): the engine and its version, the native
 * flavors on the classpath (cpu, cu124), the CUDA runtime, the GPUs, the device a job would run on,
 * and, without a GPU, why not.
 *
 * @param cudaRuntime the CUDA runtime DJL loaded (e.g. 12.4), or null when none is visible
 * @param whyNoGpu why no GPU is used, or null when one is
 */
public record EngineReport(
    String engine,
    String version,
    List<String> nativeFlavors,
    String cudaRuntime,
    int gpus,
    List<String> gpuDetails,
    Device device,
    String whyNoGpu) {

  public EngineReport {
    nativeFlavors = List.copyOf(nativeFlavors);
    gpuDetails = List.copyOf(gpuDetails);
  }

  /** Loads the engine (as a worker would) and asks it and DJL's CUDA probe what they see. */
  public static EngineReport inspect(DevicePreference preference) {
    Engine engine = Engine.getInstance();
    List<String> flavors = flavorsOnTheClasspath();
    boolean cuda = CudaUtils.hasCuda();
    int gpus = engine.getGpuCount();
    List<String> details = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      Device gpu = Device.gpu(i);
      details.add(
          "gpu"
              + i
              + ": compute capability "
              + CudaUtils.getComputeCapability(i)
              + ", "
              + CudaUtils.getGpuMemory(gpu).getMax() / (1 << 20)
              + " MiB");
    }
    Device device = preference == DevicePreference.CPU || gpus == 0 ? Device.cpu() : Device.gpu();
    return new EngineReport(
        engine.getEngineName(),
        engine.getVersion(),
        flavors,
        cuda ? CudaUtils.getCudaVersionString() : null,
        gpus,
        details,
        device,
        whyNoGpu(preference, flavors, cuda, gpus));
  }

  private static String whyNoGpu(
      DevicePreference preference, List<String> flavors, boolean cuda, int gpus) {
    if (gpus > 0 && preference != DevicePreference.CPU) {
      return null;
    }
    if (preference == DevicePreference.CPU) {
      return "the CPU is asked for (rumstream.device=CPU)";
    }
    if (flavors.stream().noneMatch(f -> f.startsWith("cu"))) {
      return "only the CPU natives are on the classpath: use the CUDA image, or build with -Pcuda";
    }
    if (!cuda) {
      return "no CUDA runtime (libcudart) is visible to the loader: run the CUDA image "
          + "(NVIDIA's CUDA runtime base) or install the CUDA runtime the natives were built for";
    }
    return "the CUDA runtime is there but no GPU is usable: no NVIDIA driver, one too old for this "
        + "CUDA runtime, or no GPU given to the container (docker run --gpus all, "
        + "nvidia.com/gpu on Kubernetes)";
  }

  /** The flavors of the PyTorch native jars on the classpath, from their pytorch.properties. */
  static List<String> flavorsOnTheClasspath() {
    List<String> flavors = new ArrayList<>();
    try {
      for (URL url :
          Collections.list(
              EngineReport.class.getClassLoader().getResources("native/lib/pytorch.properties"))) {
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
          properties.load(in);
        }
        flavors.add(
            properties.getProperty("flavor", "?") + " " + properties.getProperty("version", "?"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the PyTorch natives on the classpath", e);
    }
    return flavors;
  }

  /** The report as lines for a terminal. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("engine:         " + engine + " " + version);
    lines.add("natives:        " + (nativeFlavors.isEmpty() ? "none" : nativeFlavors));
    lines.add("CUDA runtime:   " + (cudaRuntime == null ? "none visible" : cudaRuntime));
    lines.add("GPUs:           " + gpus);
    gpuDetails.forEach(detail -> lines.add("                " + detail));
    lines.add("jobs run on:    " + device);
    if (whyNoGpu != null) {
      lines.add("why not a GPU:  " + whyNoGpu);
    }
    return lines;
  }
}
