package dev.baton.internal.store;

import dev.baton.internal.database.DatabaseClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database clock at the store's boundary (issue 13). Quartz's scheduler thread lives on this
 * node's wall clock: it asks for triggers due before "local now + idle wait" and waits until their
 * next fire time by {@code System.currentTimeMillis()}. Everything stored is on the database's
 * clock. Times are translated here, on the way in and out (see {@link DatabaseClock} and {@link
 * ClockBoundary}), and each check-in notices a step of this node's wall clock.
 */
final class ClockTranslation {
  private static final Logger log = LoggerFactory.getLogger(ClockTranslation.class);

  /** Acquisition with bounds in database time. */
  @FunctionalInterface
  interface Acquire {
    List<OperableTrigger> acquire(long noLaterThan, int maxCount, long timeWindow)
        throws JobPersistenceException;
  }

  /** Firing of triggers whose times are in database time. */
  @FunctionalInterface
  interface Fire {
    List<TriggerFiredResult> fire(List<OperableTrigger> triggers) throws JobPersistenceException;
  }

  private final DatabaseClock clock;
  private final String nodeId;
  private final FiringLead lead;
  private final ClockBoundary boundary = new ClockBoundary();

  /** When this node last checked in, on the monotonic clock (a wall-clock step is no stall). */
  private volatile long lastCheckinNanos = System.nanoTime();

  /** The offset at the previous check-in, to notice a step of this node's wall clock. */
  private long offsetAtLastCheckin = Long.MIN_VALUE;

  ClockTranslation(DatabaseClock clock, String nodeId, FiringLead lead) {
    this.clock = clock;
    this.nodeId = nodeId;
    this.lead = lead;
  }

  /** Reads the database's clock at a check-in; on failure keeps its last measurement. */
  void measure(Connection conn) {
    try {
      clock.measure(conn);
    } catch (SQLException e) {
      // The check-in itself is about to fail too; the clock keeps its last measurement.
      log.debug("Node {}: could not read the database clock: {}", nodeId, e.toString());
    }
  }

  /** Marks a check-in; returns its time on the database's clock. */
  long checkedIn() {
    lastCheckinNanos = System.nanoTime();
    return clock.now();
  }

  /**
   * Whether this node's wall clock stepped against the database's since the last check-in; the
   * scheduler thread should then release what it acquired and acquire it again at the corrected
   * local times (otherwise a step back would delay those firings by the step).
   */
  boolean stepped() {
    long offset = clock.offsetMillis();
    boolean stepped =
        offsetAtLastCheckin != Long.MIN_VALUE
            && Math.abs(offset - offsetAtLastCheckin) > ClockBoundary.STEP_MILLIS;
    if (stepped) {
      log.warn(
          "Node {}: this node's clock moved {} ms against the database's; now {} ms {} it",
          nodeId,
          offsetAtLastCheckin - offset,
          Math.abs(offset),
          offset <= 0 ? "ahead of" : "behind");
    }
    offsetAtLastCheckin = offset;
    return stepped;
  }

  /**
   * When a node whose check-in is {@code rec} counts as failed, on this node's wall clock (what
   * Quartz compares it with): its check-in, written in database time, plus its interval and the
   * grace. Like Quartz, a node that was itself stalled since its last check-in extends the
   * allowance by its own stall (on the monotonic clock), so a paused observer does not condemn
   * healthy peers.
   */
  long failedIfAfter(SchedulerStateRecord rec, long graceMillis) {
    long ownStall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCheckinNanos);
    return clock.toLocal(rec.getCheckinTimestamp())
        + Math.max(rec.getCheckinInterval(), ownStall)
        + graceMillis;
  }

  /**
   * A new fire time (database time) as the scheduler thread compares it with the trigger times it
   * was handed ({@link #acquire}): on its wall clock and earlier by the firing lead, so that a
   * trigger due before the one it waits for, but within the lead of it, still interrupts the wait.
   * 0 and below ("some change") as they are.
   */
  long signalled(long databaseMillis) {
    return databaseMillis > 0 ? clock.toLocal(databaseMillis) - lead.millis() : databaseMillis;
  }

  /**
   * The scheduler thread's bound, translated to database time; the triggers handed back carry their
   * next fire time on this node's wall clock, which is what the scheduler thread waits on, less the
   * firing lead ({@link FiringLead}), so that it asks for the firing that much ahead.
   */
  List<OperableTrigger> acquire(long noLaterThan, int maxCount, long timeWindow, Acquire onDatabase)
      throws JobPersistenceException {
    long shift = clock.offsetMillis();
    List<OperableTrigger> acquired = onDatabase.acquire(noLaterThan + shift, maxCount, timeWindow);
    boundary.toLocal(acquired, shift + lead.millis());
    return acquired;
  }

  /**
   * Puts the triggers back on database time, then fires them, but not before they are due by the
   * database's clock less the firing lead: a wall-clock step forward while the scheduler thread
   * waited would otherwise fire them early. A short remainder is waited out; a long one releases
   * the triggers (null bundles), which the scheduler thread acquires again at the corrected local
   * times. A firing committed ahead of its time has its scheduled time as its fire time: its job
   * starts then ({@link #nanosUntilStart}).
   */
  List<TriggerFiredResult> fire(List<OperableTrigger> triggers, Fire onDatabase)
      throws JobPersistenceException {
    long latest = boundary.toDatabase(triggers);
    long early = latest - clock.now() - lead.millis();
    if (early > ClockBoundary.MAX_WAIT_MILLIS) {
      log.info(
          "Node {}: {} trigger(s) handed for firing {} ms before they are due by the"
              + " database's clock (this node's clock stepped); released",
          nodeId,
          triggers.size(),
          early);
      List<TriggerFiredResult> none = new ArrayList<>(triggers.size());
      for (int i = 0; i < triggers.size(); i++) {
        none.add(new TriggerFiredResult((TriggerFiredBundle) null));
      }
      return none;
    }
    if (early > 0) ClockBoundary.sleep(early);
    return onDatabase.fire(triggers);
  }

  /**
   * How long until a firing's job may start, in nanoseconds: until its fire time, which for a
   * firing committed ahead is its scheduled time ({@link #fire}), has come by the database's clock.
   */
  long nanosUntilStart(TriggerFiredBundle firing) {
    return clock.nanosUntil(firing.getFireTime().getTime());
  }
}
