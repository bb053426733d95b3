package dev.baton.micrometer;

import org.quartz.CalendarIntervalTrigger;
import org.quartz.CronTrigger;
import org.quartz.DailyTimeIntervalTrigger;
import org.quartz.JobDataMap;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;

/**
 * What started a firing and which attempt it is, read from its trigger: shared by observations and
 * spans, and free of Micrometer and OpenTelemetry types so that either can be absent.
 */
final class FiringKind {
  /** Job data of a retry's attempt and of a manual run (see the README's retries). */
  static final String ATTEMPT_KEY = "baton.attempt";

  static final String MANUAL_KEY = "baton.manualRetry";

  private FiringKind() {}

  /**
   * What started the firing, in a handful of values: its schedule's kind, a retry or a manual run.
   */
  static String of(Trigger trigger, JobDataMap data) {
    if ("true".equals(data.getString(MANUAL_KEY))) return "manual";
    if (data.containsKey(ATTEMPT_KEY)) return "retry";
    // "Run now" from Baton's API, and Quartz's own triggerJob, name their one-shot trigger so.
    if (trigger.getKey().getName().startsWith("MT_")) return "manual";
    if (trigger instanceof CronTrigger) return "cron";
    if (trigger instanceof CalendarIntervalTrigger) return "calendar-interval";
    if (trigger instanceof DailyTimeIntervalTrigger) return "daily-time-interval";
    if (trigger instanceof SimpleTrigger s) {
      return s.getRepeatCount() == 0 ? "once" : "interval";
    }
    return "other";
  }

  /** The attempt: "1" for a first one, the retry's number, or "manual" for a manual retry. */
  static String attempt(JobDataMap data) {
    if ("true".equals(data.getString(MANUAL_KEY))) return "manual";
    String attempt = data.getString(ATTEMPT_KEY);
    return attempt == null ? "1" : attempt;
  }
}
