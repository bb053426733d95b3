package dev.baton.testing;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A recording job that Quartz must never run twice at once, cluster-wide. */
@DisallowConcurrentExecution
public class NonConcurrentJob implements Job {
  @Override
  public void execute(JobExecutionContext ctx) {
    Recorder.record(ctx, () -> RecordingJob.sleep(ctx));
  }
}
