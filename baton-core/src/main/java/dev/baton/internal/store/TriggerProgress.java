package dev.baton.internal.store;

import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED_BLOCKED;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Date;
import java.util.Objects;
import org.quartz.CalendarIntervalTrigger;
import org.quartz.CronTrigger;
import org.quartz.DailyTimeIntervalTrigger;
import org.quartz.JobPersistenceException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;

/**
 * What a replaced trigger keeps: the progress of the trigger stored under the same key. Every road
 * that stores a trigger over an existing one (the task DSL, Quartz's {@code rescheduleJob}, {@code
 * scheduleJob} with replace, Spring's {@code overwrite-existing-jobs}) builds the new trigger from
 * its start time, usually "now" at boot; stored as it is, it rewound the stored trigger to fire
 * times the cluster had already fired, and they fired again.
 *
 * <ul>
 *   <li>Schedule unchanged (same trigger type, same schedule fields, calendar and end time; the
 *       start time may differ, except for a one-shot or a bounded simple repeat): the new trigger
 *       takes the stored start, next and previous fire times and, for a simple trigger, its count
 *       of firings; a paused trigger stays paused.
 *   <li>Schedule changed: the new trigger fires on its own schedule, but never at or before the
 *       stored previous fire time — its first fire time is moved past it if needed.
 * </ul>
 *
 * Priority, description, job data and misfire instruction always come from the new trigger. The
 * stored row is read locked ({@link #read}), in the caller's transaction under {@code
 * TRIGGER_ACCESS}, so that neither another registration nor a fast-lane firing (which takes row
 * locks only) can change it between this read and the caller's write.
 */
final class TriggerProgress {
  private final OperableTrigger stored;
  private final String state;

  TriggerProgress(OperableTrigger stored, String state) {
    this.stored = stored;
    this.state = state;
  }

  /**
   * The progress stored under {@code key}, its row locked until the caller's transaction ends; null
   * if no trigger is stored there.
   */
  static TriggerProgress read(Connection conn, StoreContext ctx, TriggerKey key)
      throws JobPersistenceException {
    String state;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().lockTriggerState)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, key.getName());
      ps.setString(3, key.getGroup());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null;
        state = rs.getString(1);
      }
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Couldn't read the stored trigger '" + key + "': " + e.getMessage(), e);
    }
    OperableTrigger stored;
    try {
      stored = ctx.delegate().selectTrigger(conn, key);
    } catch (SQLException | IOException | ClassNotFoundException | RuntimeException e) {
      // Unreadable (e.g. a serialized map a stock Quartz left): nothing to keep but its pause.
      stored = null;
    }
    return new TriggerProgress(stored, state);
  }

  /** Whether the stored trigger is paused, so its replacement must be too. */
  boolean paused() {
    return STATE_PAUSED.equals(state) || STATE_PAUSED_BLOCKED.equals(state);
  }

  /**
   * Gives {@code wanted}, whose first fire time is already computed, the progress it keeps (see the
   * class comment).
   */
  void applyTo(OperableTrigger wanted) {
    if (stored == null) return;
    Date storedNext = stored.getNextFireTime();
    Date storedPrevious = stored.getPreviousFireTime();
    if (storedNext != null && sameSchedule(stored, wanted)) {
      wanted.setStartTime(stored.getStartTime());
      wanted.setNextFireTime(storedNext);
      wanted.setPreviousFireTime(storedPrevious);
      if (wanted instanceof SimpleTriggerImpl w && stored instanceof SimpleTrigger s) {
        w.setTimesTriggered(s.getTimesTriggered());
      }
      return;
    }
    if (storedPrevious == null) return;
    Date next = wanted.getNextFireTime();
    if (next != null && next.after(storedPrevious)) return;
    Date after = wanted.getFireTimeAfter(storedPrevious);
    // A schedule with no fire time left after the last firing keeps its own (a limit: it may
    // fire once more); storing no fire time would leave a trigger that never completes.
    if (after != null) wanted.setNextFireTime(after);
    if (wanted.getPreviousFireTime() == null) wanted.setPreviousFireTime(storedPrevious);
  }

  /**
   * Whether two triggers fire on the same schedule: same type and schedule fields, same calendar
   * and end time. Start times are not compared (a trigger built at boot starts "now"), except a
   * simple trigger's that does not repeat forever: there the start time is the schedule.
   */
  static boolean sameSchedule(Trigger a, Trigger b) {
    if (!Objects.equals(a.getCalendarName(), b.getCalendarName())
        || !Objects.equals(a.getEndTime(), b.getEndTime())) {
      return false;
    }
    if (a instanceof CronTrigger x && b instanceof CronTrigger y) {
      return Objects.equals(x.getCronExpression(), y.getCronExpression())
          && Objects.equals(zone(x.getTimeZone()), zone(y.getTimeZone()));
    }
    if (a instanceof SimpleTrigger x && b instanceof SimpleTrigger y) {
      // A one-shot's or a bounded repeat's start time is its schedule, not a time of boot.
      return x.getRepeatInterval() == y.getRepeatInterval()
          && x.getRepeatCount() == y.getRepeatCount()
          && (x.getRepeatCount() == SimpleTrigger.REPEAT_INDEFINITELY
              || Objects.equals(a.getStartTime(), b.getStartTime()));
    }
    if (a instanceof CalendarIntervalTrigger x && b instanceof CalendarIntervalTrigger y) {
      return x.getRepeatInterval() == y.getRepeatInterval()
          && x.getRepeatIntervalUnit() == y.getRepeatIntervalUnit()
          && Objects.equals(zone(x.getTimeZone()), zone(y.getTimeZone()))
          && x.isPreserveHourOfDayAcrossDaylightSavings()
              == y.isPreserveHourOfDayAcrossDaylightSavings()
          && x.isSkipDayIfHourDoesNotExist() == y.isSkipDayIfHourDoesNotExist();
    }
    if (a instanceof DailyTimeIntervalTrigger x && b instanceof DailyTimeIntervalTrigger y) {
      return x.getRepeatInterval() == y.getRepeatInterval()
          && x.getRepeatIntervalUnit() == y.getRepeatIntervalUnit()
          && x.getRepeatCount() == y.getRepeatCount()
          && Objects.equals(x.getDaysOfWeek(), y.getDaysOfWeek())
          && Objects.equals(x.getStartTimeOfDay(), y.getStartTimeOfDay())
          && Objects.equals(x.getEndTimeOfDay(), y.getEndTimeOfDay());
    }
    return false; // other kinds: no schedule Baton can compare, so treated as changed
  }

  private static String zone(java.util.TimeZone z) {
    return z == null ? null : z.getID();
  }
}
