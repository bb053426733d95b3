package dev.baton.internal.store;

import java.util.concurrent.TimeUnit;

/**
 * The turn of due triggers outside the fast lane behind a backlog of fast-lane firings. A claim
 * that leaves them no worker skips them; once they have been skipped for a second, the next
 * acquisition acquires them first. Not at every claim: the look for them reads past the backlog's
 * rows, and looking every other claim cost a quarter of the drain rate. Scheduler thread only.
 */
final class SlowLaneTurn {
  private static final long AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

  private boolean skipped;
  private long skippedSince;

  /** Whether their turn has come; taking it counts as a look. */
  boolean take() {
    if (!skipped || System.nanoTime() - skippedSince < AFTER_NANOS) return false;
    skipped = false;
    return true;
  }

  /** A claim returned without looking for them. */
  void skipped() {
    if (skipped) return;
    skipped = true;
    skippedSince = System.nanoTime();
  }

  /** An acquisition looked for them. */
  void looked() {
    skipped = false;
  }
}
