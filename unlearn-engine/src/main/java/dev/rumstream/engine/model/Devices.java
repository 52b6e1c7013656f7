package dev.rumstream.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rumstream.engine.EngineConfig.DevicePreference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device: a GPU when DJL sees one (and it is wanted), else the CPU; the choice is always
 * logged.
 */
public final class Devices {

  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

  private Devices() {}

  public static Device select(DevicePreference preference) {
    Engine engine = Engine.getInstance();
    int gpus = engine.getGpuCount();
    Device device =
        switch (preference) {
          case CPU -> Device.cpu();
          case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
          case GPU -> {
            if (gpus == 0) {
              throw new IllegalStateException(
                  "a GPU was asked for but DJL sees none: build with -Pcuda and make "
                      + "libcudart.so visible to the loader");
            }
            yield Device.gpu();
          }
        };
    LOG.info(
        "engine {} {}: {} GPU(s) visible, preference {}, running on {}",
        engine.getEngineName(),
        engine.getVersion(),
        gpus,
        preference,
        device);
    return device;
  }

  /** The name the metrics record (cpu, gpu0). */
  public static String label(Device device) {
    return device.isGpu() ? "gpu" + device.getDeviceId() : "cpu";
  }

  /**
   * Prepares a thread DJL did not start for inference and training: PyTorch's grad mode is per
   * thread and on by default, so inference there would build autograd graphs and in-place parameter
   * updates would fail.
   */
  public static void prepareThread() {
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
  }
}
