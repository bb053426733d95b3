package dev.baton.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.spi.TriggerFiredBundle;

/** The worker pool's start times: a firing committed ahead of its time starts its job on time. */
class WorkerPoolTest {
  private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final WorkerPool pool = new WorkerPool(1, 10, "pool-test", false);

  @AfterEach
  void tearDown() {
    pool.shutdown(true);
  }

  @Test
  void anInterruptLeftByTheWorkersLastJobNeitherStartsTheNextEarlyNorIsLost() throws Exception {
    TriggerFiredBundle ahead =
        new TriggerFiredBundle(null, null, null, false, null, null, null, null);
    pool.startOnTime(firing -> firing == ahead ? WAIT_NANOS : 0);
    pool.initialize();

    CountDownLatch secondHandedOut = new CountDownLatch(1);
    // The first job restores an interrupt, as a job that caught InterruptedException should; the
    // single worker then runs the second, queued meanwhile, on the same thread.
    pool.runInThread(
        () -> {
          awaitQuietly(secondHandedOut);
          Thread.currentThread().interrupt();
        });
    CompletableFuture<Long> startedAfter = new CompletableFuture<>();
    CompletableFuture<Boolean> sawInterrupt = new CompletableFuture<>();
    pool.announce(ahead);
    long handedOut = System.nanoTime();
    pool.runInThread(
        () -> {
          startedAfter.complete(System.nanoTime() - handedOut);
          sawInterrupt.complete(Thread.currentThread().isInterrupted());
        });
    secondHandedOut.countDown();

    assertThat(startedAfter.get(10, TimeUnit.SECONDS))
        .as("nanoseconds from handing out to the job's start")
        .isGreaterThanOrEqualTo(WAIT_NANOS);
    assertThat(sawInterrupt.get(10, TimeUnit.SECONDS))
        .as("the job still sees the interrupt")
        .isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
