package dev.baton.history;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/** Job classes whose executions the history suite checks. */
public final class HistoryJobs {
  private HistoryJobs() {}

  /** Throws from {@code depth} nested frames, so the stack trace can be made long. */
  public static class FailingJob implements Job {
    @Override
    public void execute(JobExecutionContext ctx) {
      String depth = ctx.getMergedJobDataMap().getString("depth");
      dive(depth == null ? 0 : Integer.parseInt(depth));
    }

    private static void dive(int depth) {
      if (depth > 0) dive(depth - 1);
      else throw new IllegalStateException("boom: disk full");
    }
  }

  /** Cannot be constructed: Baton's job factory turns it into a skipped firing. */
  public static class BrokenConstructorJob implements Job {
    public BrokenConstructorJob() {
      throw new IllegalStateException("no licence on this node");
    }

    @Override
    public void execute(JobExecutionContext ctx) {}
  }

  /** Attaches details, then {@code lines} lines of 40 characters. */
  public static class ChattyJob implements Job {
    @Override
    public void execute(JobExecutionContext ctx) {
      ExecutionLog log = ExecutionLog.of(ctx);
      log.detail("k", "v").detail("multi\nline key=", "a=b\nc");
      int lines = Integer.parseInt(ctx.getMergedJobDataMap().getString("lines"));
      for (int i = 0; i < lines; i++) log.line(String.format("line %05d %s", i, "x".repeat(29)));
    }
  }

  /**
   * Blocks while its gate is closed, but only on the node named by the data key {@code blockOn};
   * remembers each node's scheduler so that a test can make that node crash.
   */
  public static class GatedJob implements Job {
    static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    static final Map<String, Scheduler> SCHEDULERS = new ConcurrentHashMap<>();

    @Override
    public void execute(JobExecutionContext ctx) {
      try {
        String node = ctx.getScheduler().getSchedulerInstanceId();
        SCHEDULERS.put(node, ctx.getScheduler());
        CountDownLatch gate = GATES.get(ctx.getJobDetail().getKey().getName());
        if (gate != null && node.equals(ctx.getMergedJobDataMap().getString("blockOn"))) {
          gate.await(60, TimeUnit.SECONDS);
        }
      } catch (SchedulerException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
