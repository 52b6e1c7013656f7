package dev.rumstream.worker;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Waits on a running job itself, so its end is noticed at once, and runs {@code keepAlive} (a
 * consumer poll) whenever a whole interval passes without it: the consumer stays in its group
 * however long the job runs, and the interval bounds only how late a rebalance is noticed.
 */
final class JobWait {
  private JobWait() {}

  static <T> T await(Future<T> job, Duration keepAliveEvery, Runnable keepAlive)
      throws ExecutionException {
    long nanos = keepAliveEvery.toNanos();
    while (true) {
      try {
        return job.get(nanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        keepAlive.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      }
    }
  }
}
