package dev.baton.spring.starter;

import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Runs for 1.5 s (its workload), recording that it started and that it finished. */
public class SlowJob implements Job {
  public static final AtomicBoolean STARTED = new AtomicBoolean();
  public static final AtomicBoolean FINISHED = new AtomicBoolean();

  @Override
  public void execute(JobExecutionContext context) {
    STARTED.set(true);
    try {
      Thread.sleep(1500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    FINISHED.set(true);
  }
}
