package dev.baton.bench;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The no-op Quartz job of the throughput and lateness benchmarks (Baton and stock Quartz). A job
 * named {@code job-<i>} counts as one-off job {@code i}; any other records its lateness: actual
 * start minus the scheduled fire time.
 */
public final class BenchJob implements Job {
  @Override
  public void execute(JobExecutionContext context) {
    long now = System.currentTimeMillis();
    String name = context.getJobDetail().getKey().getName();
    if (name.startsWith("job-")) {
      Executions.current().ran(Integer.parseInt(name.substring(4)));
    } else {
      Executions.current().ranLate(now - context.getScheduledFireTime().getTime());
    }
  }
}
