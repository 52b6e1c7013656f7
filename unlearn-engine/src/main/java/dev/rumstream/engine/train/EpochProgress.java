package dev.rumstream.engine.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar over one epoch's steps, or nothing when bars are off (tests, services).
 */
public final class EpochProgress implements AutoCloseable {

  private final ProgressBar bar;

  private EpochProgress(ProgressBar bar) {
    this.bar = bar;
  }

  public static EpochProgress open(boolean enabled, String task, int steps) {
    if (!enabled) {
      return new EpochProgress(null);
    }
    return new EpochProgress(
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .build());
  }

  public void step(double loss) {
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(String.format(java.util.Locale.ROOT, " loss %.4f", loss));
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
