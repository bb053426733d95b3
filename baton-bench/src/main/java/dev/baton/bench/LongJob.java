package dev.baton.bench;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The recoverable job of the failover run: prints {@code STARTED <node> recovering=<bool>} and then
 * runs for ten minutes, long enough for its node to be killed mid-run.
 */
public final class LongJob implements Job {
  @Override
  public void execute(JobExecutionContext context) {
    System.out.println("STARTED " + FailoverNode.nodeId + " recovering=" + context.isRecovering());
    System.out.flush();
    try {
      Thread.sleep(600_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
