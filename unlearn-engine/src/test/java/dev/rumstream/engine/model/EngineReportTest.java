package dev.rumstream.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rumstream.engine.EngineConfig.DevicePreference;
import org.junit.jupiter.api.Test;

/** What {@code rumstream doctor} prints agrees with what the engine itself says. */
class EngineReportTest {

  @Test
  void reportsTheEngineItsNativesAndTheDeviceAJobWouldRunOn() {
    EngineReport report = EngineReport.inspect(DevicePreference.AUTO);
    Engine engine = Engine.getInstance();

    assertThat(report.engine()).isEqualTo("PyTorch").isEqualTo(engine.getEngineName());
    assertThat(report.version()).isEqualTo(engine.getVersion());
    assertThat(report.nativeFlavors()).as("the build's cpu natives").contains("cpu 2.5.1-20241113");
    assertThat(report.gpus()).isEqualTo(engine.getGpuCount());
    assertThat(report.gpuDetails()).hasSize(report.gpus());
    if (report.gpus() == 0) {
      assertThat(report.device()).isEqualTo(Device.cpu());
      assertThat(report.whyNoGpu()).isNotBlank();
      assertThat(report.lines()).anySatisfy(line -> assertThat(line).startsWith("why not a GPU:"));
    } else {
      assertThat(report.device()).isEqualTo(Device.gpu());
      assertThat(report.whyNoGpu()).isNull();
    }
    assertThat(EngineReport.inspect(DevicePreference.CPU).device()).isEqualTo(Device.cpu());
  }
}
