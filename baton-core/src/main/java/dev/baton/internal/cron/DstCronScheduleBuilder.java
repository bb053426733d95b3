package dev.baton.internal.cron;

import java.text.ParseException;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.spi.MutableTrigger;

/**
 * Builds {@link DstCronTrigger}s, as Quartz's {@code CronScheduleBuilder} builds its cron triggers:
 * for Baton's tasks and for every cron trigger read from the database.
 */
public final class DstCronScheduleBuilder extends ScheduleBuilder<CronTrigger> {
  private final String expression;
  private final TimeZone zone;
  private final int misfireInstruction;

  /**
   * @param misfireInstruction one of {@link CronTrigger}'s {@code MISFIRE_INSTRUCTION_*}
   */
  public DstCronScheduleBuilder(String expression, TimeZone zone, int misfireInstruction) {
    this.expression = expression;
    this.zone = zone == null ? TimeZone.getDefault() : zone;
    this.misfireInstruction = misfireInstruction;
  }

  /**
   * @throws IllegalArgumentException naming the expression when it does not parse
   */
  @Override
  protected MutableTrigger build() {
    DstCronTrigger t = new DstCronTrigger();
    try {
      t.setCronExpression(expression);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "cron expression '" + expression + "' is invalid: " + e.getMessage(), e);
    }
    t.setTimeZone(zone);
    t.setMisfireInstruction(misfireInstruction);
    return t;
  }
}
