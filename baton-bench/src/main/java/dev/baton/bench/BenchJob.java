package dev.baton.bench;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The no-op Quartz job of the throughput and lateness benchmarks (Baton and stock Quartz). A job
 * named {@code job-<i>}, or a run of {@code job} with id {@code i}, counts as one-off job {@code
 * i}; any other records its lateness: actual start minus the scheduled fire time. With {@link
 * #ioMillis} above zero a one-off job first waits that long, as a job calling a slow service does,
 * and counts when it ends.
 */
public final class BenchJob implements Job {
  /** Simulated I/O per one-off job, in ms (the I/O-bound benchmark); 0 = a no-op. */
  static volatile long ioMillis;

  @Override
  public void execute(JobExecutionContext context) {
    long now = System.currentTimeMillis();
    String name = context.getJobDetail().getKey().getName();
    boolean run = name.equals(BatonContender.RUNS_TASK);
    if (run || name.startsWith("job-")) {
      if (ioMillis > 0) {
        try {
          Thread.sleep(ioMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      // A run's trigger is named <task>#<id>, its id the job's number.
      String trigger = context.getTrigger().getKey().getName();
      Executions.current()
          .ran(Integer.parseInt(run ? trigger.substring(name.length() + 1) : name.substring(4)));
    } else {
      Executions.current().ranLate(now - context.getScheduledFireTime().getTime());
    }
  }
}
