package dev.baton.example;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import org.quartz.JobExecutionContext;

/** Prints one line per firing: when it was due, when it ran, where, and its message. */
public final class PrintingJob implements org.quartz.Job {
  @Override
  public void execute(JobExecutionContext ctx) {
    String node;
    try {
      node = ctx.getScheduler().getSchedulerInstanceId();
    } catch (org.quartz.SchedulerException e) {
      node = "?";
    }
    System.out.printf(
        "%s  fired %-10s on %s (due %s): %s%n",
        LocalTime.now().truncatedTo(ChronoUnit.MILLIS),
        ctx.getJobDetail().getKey().getName(),
        node,
        ctx.getScheduledFireTime().toInstant(),
        ctx.getMergedJobDataMap().getString("message"));
  }
}
