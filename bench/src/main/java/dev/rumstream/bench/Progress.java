package dev.rumstream.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines: one when a task starts, one when it ends, with elapsed time and a naive ETA. */
final class Progress {

  private static final PrintStream OUT = System.out;

  final long started = System.nanoTime();
  private final int total;
  private int finished;
  private long taskStarted;

  Progress(int total) {
    this.total = total;
  }

  void start(String task) {
    taskStarted = System.nanoTime();
    OUT.printf(
        Locale.ROOT,
        "[%2d/%d %s] %s ...%n",
        finished + 1,
        total,
        clock((taskStarted - started) / 1e9),
        task);
  }

  void done(String what) {
    finished++;
    double elapsed = (System.nanoTime() - started) / 1e9;
    double eta = elapsed / finished * (total - finished);
    OUT.printf(
        Locale.ROOT, "        -> %s  [elapsed %s, ~%s left]%n", what, clock(elapsed), clock(eta));
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
