package dev.baton.server.metrics;

import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

/**
 * Feeds {@link RecentExecutions} for the dashboard with this node's finished executions. The
 * Micrometer meters come from baton-micrometer's {@code BatonMetrics}. Never throws into Quartz.
 */
public final class RecentExecutionsListener implements JobListener {
  private final RecentExecutions recent;

  public RecentExecutionsListener(RecentExecutions recent) {
    this.recent = recent;
  }

  @Override
  public String getName() {
    return "baton-server-recent-executions";
  }

  @Override
  public void jobToBeExecuted(JobExecutionContext context) {}

  @Override
  public void jobExecutionVetoed(JobExecutionContext context) {}

  @Override
  public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
    try {
      recent.record(context.getJobDetail().getKey().getName(), failure);
    } catch (RuntimeException ignored) {
      // The dashboard's figures must never disturb an execution.
    }
  }
}
