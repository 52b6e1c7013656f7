package dev.rumstream.engine.train;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one epoch of a longer run, when progress is on: a console bar on a terminal;
 * elsewhere (a log file, a pipe) one log line each time the whole run passes another 10%, never one
 * per batch. Nothing when progress is off (tests, services).
 */
public final class EpochProgress implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EpochProgress.class);
  private static final int LOG_STEPS = 10;

  private final ProgressBar bar;
  private final String run;
  private final long before;
  private final long total;
  private long done;
  private long logged;

  private EpochProgress(ProgressBar bar, String run, long before, long total) {
    this.bar = bar;
    this.run = run;
    this.before = before;
    this.total = total;
    this.logged = total == 0 ? LOG_STEPS : before * LOG_STEPS / total;
  }

  /**
   * @param run what runs (the log lines name it)
   * @param epoch this epoch, 0-based, of {@code epochs}
   * @param steps this epoch's steps; every epoch of the run is taken to have as many
   */
  public static EpochProgress open(boolean enabled, String run, int epoch, int epochs, int steps) {
    if (!enabled) {
      return new EpochProgress(null, null, 0, 0);
    }
    long total = (long) epochs * steps;
    long before = (long) epoch * steps;
    if (System.console() == null) {
      return new EpochProgress(null, run, before, total);
    }
    return new EpochProgress(
        new ProgressBarBuilder()
            .setTaskName(run + " " + (epoch + 1) + "/" + epochs)
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .build(),
        null,
        before,
        total);
  }

  public void step(double loss) {
    done++;
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
    } else if (run != null) {
      long tenths = (before + done) * LOG_STEPS / total;
      if (tenths > logged) {
        logged = tenths;
        LOG.info(
            "{}: {}% (loss {})",
            run, tenths * 100 / LOG_STEPS, String.format(Locale.ROOT, "%.4f", loss));
      }
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
