package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The job loop notices a job's end at once and keeps its consumer polled meanwhile. */
class JobWaitTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void returnsAsSoonAsTheJobEndsNotAtTheNextKeepAlive() throws Exception {
    CompletableFuture<String> job = new CompletableFuture<>();
    timer.schedule(() -> job.complete("done"), 50, TimeUnit.MILLISECONDS);
    AtomicInteger polls = new AtomicInteger();

    long started = System.nanoTime();
    String result = JobWait.await(job, Duration.ofSeconds(30), polls::incrementAndGet);

    assertThat(result).isEqualTo("done");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(polls).hasValue(0);
  }

  @Test
  void keepsPollingWhileTheJobRuns() throws Exception {
    CompletableFuture<Integer> job = new CompletableFuture<>();
    AtomicInteger polls = new AtomicInteger();

    int result =
        JobWait.await(
            job,
            Duration.ofMillis(1),
            () -> {
              if (polls.incrementAndGet() == 5) {
                job.complete(42);
              }
            });

    assertThat(result).isEqualTo(42);
    assertThat(polls).hasValue(5);
  }

  @Test
  void passesTheJobsFailureOn() {
    CompletableFuture<Integer> job =
        CompletableFuture.failedFuture(new IllegalStateException("broken"));

    assertThatThrownBy(() -> JobWait.await(job, Duration.ofSeconds(1), () -> {}))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }
}
