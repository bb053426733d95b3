package dev.baton.internal.store;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.quartz.spi.OperableTrigger;

/**
 * Where Quartz's scheduler thread, which lives on this node's wall clock, meets the store, which
 * lives on the database's clock. Acquired triggers are handed to the scheduler thread with their
 * next fire time shifted to local time; the shift each got is remembered (by fire instance id) and
 * undone exactly when they come back to be fired, even if the offset changed in between.
 */
final class ClockBoundary {
  /** An offset change between check-ins larger than this is a step of a clock, not jitter. */
  static final long STEP_MILLIS = 250;

  /**
   * Triggers handed back at most this early (by the database's clock) are waited for, not released.
   */
  static final long MAX_WAIT_MILLIS = 1_000;

  /** A shift not undone within this long belongs to a trigger released without firing. */
  private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(5);

  private record Shift(long millis, long atNanos) {}

  private final Map<String, Shift> shifts = new ConcurrentHashMap<>();

  /** Shifts acquired triggers from database time to local time: {@code db - offset}. */
  void toLocal(List<OperableTrigger> triggers, long offset) {
    long now = System.nanoTime();
    if (!shifts.isEmpty()) shifts.values().removeIf(s -> now - s.atNanos() > FORGET_NANOS);
    for (OperableTrigger t : triggers) {
      Date next = t.getNextFireTime();
      if (next == null || t.getFireInstanceId() == null) continue;
      shifts.put(t.getFireInstanceId(), new Shift(offset, now));
      t.setNextFireTime(new Date(next.getTime() - offset));
    }
  }

  /**
   * Undoes {@link #toLocal} on triggers handed back for firing.
   *
   * @return the latest next fire time among them, in database time ({@code Long.MIN_VALUE} if none)
   */
  long toDatabase(List<OperableTrigger> triggers) {
    long latest = Long.MIN_VALUE;
    for (OperableTrigger t : triggers) {
      Shift s = t.getFireInstanceId() == null ? null : shifts.remove(t.getFireInstanceId());
      Date next = t.getNextFireTime();
      if (next == null) continue;
      if (s != null) {
        next = new Date(next.getTime() + s.millis());
        t.setNextFireTime(next);
      }
      latest = Math.max(latest, next.getTime());
    }
    return latest;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
