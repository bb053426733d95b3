package dev.baton.server;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/** Puts the Quartz scheduler that runs it in standby, as an operator's tool could. */
public class StandbyJob implements Job {
  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      context.getScheduler().standby();
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    }
  }
}
