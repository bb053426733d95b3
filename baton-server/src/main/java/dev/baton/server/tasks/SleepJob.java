package dev.baton.server.tasks;

import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in task type {@code sleep}: sleeps {@code data.millis} milliseconds (default 0). Useful to
 * try a cluster out and to see load spread; interruptible, so a drain that times out can stop it.
 */
public class SleepJob implements InterruptableJob {
  private static final Logger log = LoggerFactory.getLogger(SleepJob.class);
  private volatile Thread runner;

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    String task = context.getJobDetail().getKey().getName();
    long millis = millis(context.getMergedJobDataMap().getString("millis"));
    runner = Thread.currentThread();
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobExecutionException(
          "task '" + task + "' interrupted while sleeping " + millis + " ms", e);
    } finally {
      runner = null;
    }
    // Tests and operators read this line to know the sleep completed rather than being cut short.
    log.info("Task {} slept {} ms", task, millis);
  }

  @Override
  public void interrupt() {
    Thread t = runner;
    if (t != null) t.interrupt();
  }

  /** Parses {@code data.millis}; refused values are caught earlier by the API's validation. */
  static long millis(String value) {
    if (value == null || value.isBlank()) return 0;
    return Long.parseLong(value.trim());
  }
}
