package dev.baton.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmark jobs report to: every execution of job {@code i}, its start time, and (for
 * recurring jobs) its lateness. Jobs are instantiated by the schedulers, so they find the current
 * run through {@link #current()}; one run at a time per JVM.
 */
final class Executions {
  private static volatile Executions current = new Executions(0);

  private final AtomicIntegerArray runs;
  private final CountDownLatch allRan;
  private final AtomicLong executions = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
  private final Samples lateness = new Samples();

  private Executions(int jobs) {
    this.runs = new AtomicIntegerArray(Math.max(jobs, 1));
    this.allRan = new CountDownLatch(jobs);
  }

  /** Starts a new run expecting {@code jobs} distinct jobs (0 for recurring jobs). */
  static Executions begin(int jobs) {
    Executions e = new Executions(jobs);
    current = e;
    return e;
  }

  static Executions current() {
    return current;
  }

  /** Records one execution of one-off job {@code index}. */
  void ran(int index) {
    long now = System.nanoTime();
    executions.incrementAndGet();
    firstNanos.accumulateAndGet(now, Math::min);
    lastNanos.accumulateAndGet(now, Math::max);
    if (runs.incrementAndGet(index) > 1) {
      duplicates.incrementAndGet();
    } else {
      allRan.countDown();
    }
  }

  /** Records one execution of a recurring job that started {@code lateMillis} after its time. */
  void ranLate(long lateMillis) {
    executions.incrementAndGet();
    lateness.add(lateMillis * 1_000_000L);
  }

  boolean awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
    return allRan.await(timeout, unit);
  }

  long executions() {
    return executions.get();
  }

  long distinctRemaining() {
    return allRan.getCount();
  }

  long duplicates() {
    return duplicates.get();
  }

  /** Jobs per second from the first execution's start to the last one's. */
  double perSecond() {
    long span = lastNanos.get() - firstNanos.get();
    return span <= 0 ? Double.NaN : (executions.get() - 1) / (span / 1e9);
  }

  Samples lateness() {
    return lateness;
  }
}
