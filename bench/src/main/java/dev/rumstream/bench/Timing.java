package dev.rumstream.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Wall time and this process's CPU time (all its threads, libtorch's included) of one piece of
 * work. On a shared machine the CPU time is the steadier of the two: other processes stretch the
 * wall time, not this one's CPU time.
 */
record Timing(double wall, double cpu) {
  static Timing of(Runnable work) {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    work.run();
    return new Timing((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9);
  }

  String format() {
    return String.format(Locale.ROOT, "%.1f s wall, %.1f s CPU", wall, cpu);
  }
}
