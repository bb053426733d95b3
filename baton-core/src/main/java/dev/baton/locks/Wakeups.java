package dev.baton.locks;

/**
 * Wakes threads waiting for a lock when one may have become free: a local release, or a PostgreSQL
 * notification. Waiters re-try at once; a wake-up is a hint, never a grant.
 */
final class Wakeups {
  private final Object monitor = new Object();
  private long generation;

  /** Read before an attempt; {@link #await} returns at once if a wake-up came since. */
  long generation() {
    synchronized (monitor) {
      return generation;
    }
  }

  void wakeAll() {
    synchronized (monitor) {
      generation++;
      monitor.notifyAll();
    }
  }

  /** Waits up to {@code nanos} for a wake-up after {@code seen}. */
  void await(long seen, long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    synchronized (monitor) {
      while (generation == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        monitor.wait(Math.max(1, left / 1_000_000), 0);
      }
    }
  }
}
