package dev.baton.internal.history;

import dev.baton.history.ExecutionLog;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Baton's own hourly task {@code baton.history-cleanup}: applies the retention settings of the node
 * that runs it. Never runs on two nodes at once. Public only because Quartz instantiates it; not
 * for applications.
 */
@DisallowConcurrentExecution
public final class HistoryCleanupJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(HistoryCleanupJob.class);

  /** The task's name, with Baton's reserved prefix. */
  public static final String TASK = "baton.history-cleanup";

  /** Quartz's way of creating jobs. */
  public HistoryCleanupJob() {}

  @Override
  public void execute(JobExecutionContext ctx) throws JobExecutionException {
    HistoryRetention retention;
    String node;
    try {
      retention =
          (HistoryRetention) ctx.getScheduler().getContext().get(HistoryRetention.CONTEXT_KEY);
      node = ctx.getScheduler().getSchedulerInstanceId();
    } catch (SchedulerException e) {
      throw new JobExecutionException("History clean-up could not read its node's settings", e);
    }
    if (retention == null) {
      throw new JobExecutionException(
          "History clean-up found no retention settings on node "
              + node
              + "; it was started"
              + " without Baton's history module");
    }
    try {
      HistoryRetention.Result r = retention.cleanUp(System.currentTimeMillis());
      ExecutionLog.of(ctx)
          .detail("retention", retention.retention().toString())
          .detail("maxRows", Long.toString(retention.maxRows()))
          .detail("deletedByAge", Integer.toString(r.byAge()))
          .detail("deletedByRows", Integer.toString(r.byRows()));
      if (r.byAge() + r.byRows() > 0) {
        log.info(
            "History clean-up on node {} deleted {} entries older than {} and {} beyond {} rows",
            node,
            r.byAge(),
            retention.retention(),
            r.byRows(),
            retention.maxRows());
      }
    } catch (java.sql.SQLException e) {
      throw new JobExecutionException("History clean-up failed on node " + node + ": " + e, e);
    }
  }
}
