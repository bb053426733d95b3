package dev.baton.internal.cron;

import dev.baton.scheduling.DstPolicy;
import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Date;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * The fire times of one Quartz cron expression in one time zone under one {@link DstPolicy}: the
 * next fire time after an instant. Immutable and safe to share.
 *
 * <p>Under {@link DstPolicy#ISC_CRON} the expression is matched against wall-clock times (by a copy
 * of it in UTC, a zone without transitions), which are then placed on the time line one offset
 * segment at a time: between two transitions of the zone the offset is fixed, so wall-clock order
 * is time order there, and each transition's gap or overlap is handled as the policy says.
 */
public final class CronFireTimes {
  /** A minute or hour field that names fixed values: one number or a list of numbers. */
  private static final Pattern FIXED = Pattern.compile("\\d+(,\\d+)*");

  private final String expression;
  private final ZoneId zone;
  private final DstPolicy policy;

  /** The expression in the schedule's zone: Quartz's own answers. */
  private final CronExpression inZone;

  /** The expression in UTC: matches wall-clock times, with no transition to distort them. */
  private final CronExpression wallClock;

  private final boolean fixedTime;

  private CronFireTimes(String expression, ZoneId zone, DstPolicy policy) throws ParseException {
    this.expression = expression;
    this.zone = zone;
    this.policy = policy;
    this.inZone = new CronExpression(expression);
    inZone.setTimeZone(TimeZone.getTimeZone(zone));
    this.wallClock = new CronExpression(expression);
    wallClock.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
    this.fixedTime = isFixedTime(expression);
  }

  /** Triggers are read anew for every firing; parsing is kept off that path for common ones. */
  private static final int CACHED = 1024;

  private static final ConcurrentHashMap<String, CronFireTimes> CACHE = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException naming the expression when it does not parse
   */
  public static CronFireTimes of(String expression, ZoneId zone, DstPolicy policy) {
    String key = policy + " " + zone.getId() + " " + expression;
    CronFireTimes cached = CACHE.get(key);
    if (cached != null) return cached;
    CronFireTimes made = parse(expression, zone, policy);
    if (CACHE.size() >= CACHED) CACHE.clear(); // many distinct schedules: start over, stay bounded
    CACHE.put(key, made);
    return made;
  }

  private static CronFireTimes parse(String expression, ZoneId zone, DstPolicy policy) {
    try {
      return new CronFireTimes(expression, zone, policy);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "cron expression '" + expression + "' is invalid: " + e.getMessage(), e);
    }
  }

  /**
   * Whether the minute and hour fields each name fixed values (ISC cron's "fixed-time" jobs; ISC
   * cron tests the first character for {@code *}, ranges and steps count as periodic here too). The
   * seconds field does not count: it places firings within a minute.
   */
  public static boolean isFixedTime(String expression) {
    String[] f = expression.trim().split("\\s+");
    return f.length > 2 && FIXED.matcher(f[1]).matches() && FIXED.matcher(f[2]).matches();
  }

  public boolean fixedTime() {
    return fixedTime;
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  public DstPolicy policy() {
    return policy;
  }

  /** The first fire time strictly after {@code after}; null when there is none. */
  public Instant next(Instant after) {
    if (policy == DstPolicy.QUARTZ) {
      Date d = inZone.getTimeAfter(Date.from(after));
      return d == null ? null : d.toInstant();
    }
    ZoneRules rules = zone.getRules();
    Instant cursor = after;
    // The first matching wall-clock time after the one at `after`, then at each segment's start.
    LocalDateTime match = wallClockAfter(LocalDateTime.ofInstant(after, zone), false);
    while (match != null) {
      ZoneOffset offset = rules.getOffset(cursor);
      ZoneOffsetTransition begun = rules.previousTransition(cursor.plusNanos(1));
      ZoneOffsetTransition ends = rules.nextTransition(cursor);
      // A fixed time repeated by the overlap this segment starts with fired in its first copy.
      if (fixedTime
          && begun != null
          && begun.isOverlap()
          && match.isBefore(begun.getDateTimeBefore())) {
        match = wallClockAfter(begun.getDateTimeBefore(), true);
        if (match == null) return null;
      }
      if (ends == null || match.isBefore(ends.getDateTimeBefore())) {
        return match.toInstant(offset);
      }
      if (ends.isGap() && match.isBefore(ends.getDateTimeAfter()) && fixedTime) {
        return ends.getInstant(); // skipped by the jump: runs at the first instant after it
      }
      cursor = ends.getInstant();
      // An overlap repeats wall-clock times already passed: look again from its start. After a
      // gap the match stands (the next segment starts at or before it, or it was skipped).
      if (ends.isOverlap()) {
        match = wallClockAfter(ends.getDateTimeAfter(), true);
      } else if (match.isBefore(ends.getDateTimeAfter())) {
        match = wallClockAfter(ends.getDateTimeAfter(), true);
      }
    }
    return null;
  }

  /** The first wall-clock time the expression matches after {@code t} (or at it, if inclusive). */
  private LocalDateTime wallClockAfter(LocalDateTime t, boolean inclusive) {
    long millis = t.toInstant(ZoneOffset.UTC).toEpochMilli();
    // getTimeAfter answers strictly after, at whole seconds; a millisecond earlier includes t.
    Date d = wallClock.getTimeAfter(new Date(inclusive ? millis - 1 : millis));
    return d == null ? null : LocalDateTime.ofInstant(d.toInstant(), ZoneOffset.UTC);
  }

  @Override
  public String toString() {
    return "cron '" + expression + "' in " + zone + " (" + policy + ")";
  }
}
