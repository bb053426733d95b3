package dev.baton.sample;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A plain Quartz {@link Job} with constructor injection: no no-arg constructor at all. */
public class CleanupJob implements Job {
  private final ActivityLog log;

  public CleanupJob(ActivityLog log) {
    this.log = log;
  }

  @Override
  public void execute(JobExecutionContext context) {
    log.record("cleanup", context.getMergedJobDataMap().getString("target"));
    log.record("trigger", context.getTrigger().getKey().getName());
  }
}
