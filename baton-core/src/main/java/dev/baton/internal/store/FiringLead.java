package dev.baton.internal.store;

import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * How long before a trigger's fire time this node commits its firing, so that the job can start on
 * time rather than one firing transaction late: about as long as this node's firing transactions
 * take — a smoothed mean plus four mean deviations, the estimate of TCP's retransmission timer (RFC
 * 6298) — and at most {@link #MAX_MILLIS}. The job itself never starts before its fire time: the
 * worker waits out what is left ({@code WorkerPool}). Stock Quartz fires up to 2 ms early and
 * starts the job at once.
 *
 * <p>The cost: a pause, replacement or removal of a trigger within the lead of its fire time comes
 * too late for that fire time, as one just after it would.
 */
final class FiringLead {
  /** The longest lead: a pause this close to a fire time is too late for it. */
  static final long MAX_MILLIS = 25;

  /** The lead before any firing was timed: Quartz's own. */
  private static final long INITIAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);

  private long smoothed = -1;
  private long deviation;
  private volatile long leadNanos = INITIAL_NANOS;

  /**
   * A firing's fire time, when its job may start: now on the database's clock, or its scheduled
   * time for a firing committed ahead of it.
   */
  static Date fireTime(long dbNow, Date scheduled) {
    return new Date(Math.max(dbNow, scheduled.getTime()));
  }

  /** The lead now, in whole milliseconds. */
  long millis() {
    return (leadNanos + 500_000) / 1_000_000;
  }

  /** Takes in how long a transaction that fired triggers took. */
  synchronized void took(long nanos) {
    if (nanos < 0) return;
    if (smoothed < 0) {
      smoothed = nanos;
      deviation = nanos / 2;
    } else {
      deviation += (Math.abs(smoothed - nanos) - deviation) / 4;
      smoothed += (nanos - smoothed) / 8;
    }
    leadNanos = Math.min(MAX_NANOS, smoothed + 4 * deviation);
  }
}
