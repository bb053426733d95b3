package dev.baton.server;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** A job that always fails with a recognisable message, to see failures reported. */
public class FailingJob implements Job {
  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    throw new JobExecutionException("disk full on /reports");
  }
}
