package dev.baton.testing;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Records its execution; sleeps {@code sleepMillis} from its data, if given. */
public class RecordingJob implements Job {
  @Override
  public void execute(JobExecutionContext ctx) {
    Recorder.record(ctx, () -> sleep(ctx));
  }

  static void sleep(JobExecutionContext ctx) {
    String ms = ctx.getMergedJobDataMap().getString("sleepMillis");
    if (ms == null) return;
    try {
      Thread.sleep(Long.parseLong(ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
