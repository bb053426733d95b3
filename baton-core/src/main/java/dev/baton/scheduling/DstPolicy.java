package dev.baton.scheduling;

import java.util.Map;

/**
 * What a cron schedule does when its time zone's clocks jump (daylight saving time, or any other
 * change of the zone's offset). Every node computes fire times the same way, from the policy stored
 * with the trigger, so the answer does not depend on which node fires a task or on the database.
 */
public enum DstPolicy {
  /**
   * The rule ISC (Vixie) cron follows, the default. A schedule whose minute and hour fields each
   * name fixed values ({@code 0 30 2 * * ?}, {@code 0 0,30 2,14 * * ?}) is a <em>fixed-time</em>
   * schedule: a wall-clock time the spring-forward jump skips fires once, at the first instant
   * after the jump (02:30 on the day Paris moves from 02:00 to 03:00 fires at 03:00); a wall-clock
   * time the fall-back repeats fires once, at its first occurrence. Any other schedule (a wildcard,
   * range or step in the minute or hour field: {@code 0 0/15 * * * ?}, {@code 0 0 1-3 * * ?}) is a
   * <em>periodic</em> one: it fires at every real instant its fields match, so through both copies
   * of a repeated hour, and not at all at times a jump skips (they do not exist).
   */
  ISC_CRON,

  /**
   * Stock Quartz ({@code CronExpression.getTimeAfter}): a fire time the spring-forward jump skips
   * is not run that day, and around the fall-back some expressions miss or repeat the repeated
   * hour. For schedules that must behave exactly as they did under Quartz.
   */
  QUARTZ;

  /**
   * Key of the trigger's own job data entry that holds the policy of a cron trigger, for triggers
   * created through Quartz's API: {@code usingJobData(DstPolicy.TRIGGER_DATA_KEY, "QUARTZ")}. A
   * cron trigger without it follows {@link #ISC_CRON}.
   */
  public static final String TRIGGER_DATA_KEY = "baton.dstPolicy";

  /** The default: {@link #ISC_CRON}. */
  public static DstPolicy defaultPolicy() {
    return ISC_CRON;
  }

  /**
   * The policy named in a trigger's job data ({@link #TRIGGER_DATA_KEY}); the default when absent.
   *
   * @throws IllegalArgumentException naming the value when it is not a policy's name
   */
  public static DstPolicy fromTriggerData(Map<?, ?> triggerData) {
    Object v = triggerData == null ? null : triggerData.get(TRIGGER_DATA_KEY);
    if (v == null) return defaultPolicy();
    try {
      return valueOf(v.toString().trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "trigger data '"
              + TRIGGER_DATA_KEY
              + "' is '"
              + v
              + "'; use ISC_CRON or QUARTZ (or leave it out for ISC_CRON)");
    }
  }
}
