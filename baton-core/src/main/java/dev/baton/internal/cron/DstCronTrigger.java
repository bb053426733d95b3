package dev.baton.internal.cron;

import dev.baton.scheduling.DstPolicy;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.impl.triggers.CronTriggerImpl;

/**
 * Quartz's cron trigger with fire times computed by {@link CronFireTimes} under the {@link
 * DstPolicy} named in the trigger's own job data ({@link DstPolicy#TRIGGER_DATA_KEY}; {@link
 * DstPolicy#ISC_CRON} without it). Stored exactly as Quartz stores a cron trigger; every node
 * builds this class from the stored row, so the policy holds whichever node computes the next fire
 * time: at creation, after a firing, after a misfire.
 */
public class DstCronTrigger extends CronTriggerImpl {
  private static final long serialVersionUID = 1L;

  /** Built for the expression, zone and policy it was last asked with. */
  private transient volatile CronFireTimes times;

  /** A copy of {@code stock}'s schedule and state (not its key, job or data). */
  public static DstCronTrigger scheduleOf(CronTriggerImpl stock) {
    DstCronTrigger t = new DstCronTrigger();
    try {
      t.setCronExpression(stock.getCronExpression());
    } catch (ParseException e) {
      throw new IllegalStateException("a parsed expression no longer parses", e);
    }
    t.setTimeZone(stock.getTimeZone());
    t.setMisfireInstruction(stock.getMisfireInstruction());
    return t;
  }

  /**
   * Checks the policy named in {@code stock}'s data and, for a stock Quartz cron trigger not yet
   * fired, recomputes its first fire time under that policy: Quartz's API computed it before the
   * store saw the trigger.
   *
   * @throws IllegalArgumentException naming a policy that is not one
   */
  public static void police(CronTriggerImpl stock) {
    DstPolicy.fromTriggerData(stock.getJobDataMap());
    if (stock instanceof DstCronTrigger
        || stock.getPreviousFireTime() != null
        || stock.getCalendarName() != null) {
      return;
    }
    DstCronTrigger policed = scheduleOf(stock);
    policed.setStartTime(stock.getStartTime());
    policed.setEndTime(stock.getEndTime());
    policed.setJobDataMap(stock.getJobDataMap());
    Date first = policed.computeFirstFireTime(null);
    if (first != null) stock.setNextFireTime(first);
  }

  /** The policy this trigger follows. */
  public DstPolicy dstPolicy() {
    try {
      return DstPolicy.fromTriggerData(getJobDataMap());
    } catch (IllegalArgumentException unknown) {
      // Refused when stored (BatonJobStore); a value only a newer node knows: the default.
      return DstPolicy.defaultPolicy();
    }
  }

  @Override
  protected Date getTimeAfter(Date afterTime) {
    if (getCronExpression() == null) return null;
    CronFireTimes t = times;
    DstPolicy policy = dstPolicy();
    if (t == null
        || t.policy() != policy
        || !t.expression().equals(getCronExpression())
        || !t.zone().equals(getTimeZone().toZoneId())) {
      t = CronFireTimes.of(getCronExpression(), getTimeZone().toZoneId(), policy);
      times = t;
    }
    Instant next = t.next(afterTime.toInstant());
    return next == null ? null : Date.from(next);
  }

  /** Keeps this class for triggers rebuilt from this one ({@code getTriggerBuilder()}). */
  @Override
  public ScheduleBuilder<CronTrigger> getScheduleBuilder() {
    return new DstCronScheduleBuilder(getCronExpression(), getTimeZone(), getMisfireInstruction());
  }
}
