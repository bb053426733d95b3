package dev.baton.spring.starter;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Always fails, so that a test sees a retry. */
public class FailingJob implements Job {
  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    throw new JobExecutionException("meant to fail");
  }
}
