package dev.baton.internal.history;

import dev.baton.history.ExecutionLog;
import dev.baton.history.Outcome;
import dev.baton.internal.TransactionalJobs;
import dev.baton.internal.UnavailableJob;
import dev.baton.scheduling.Task;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.quartz.core.JobExecutionProcessException;
import org.quartz.listeners.JobListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Quartz's job-listener callbacks into history rows, so that no job has to opt in. Runs on
 * Quartz's worker threads, so it only builds rows and hands them to the {@link HistoryWriter}.
 *
 * <p>Reads two context keys that cluster-lock code sets: {@value #FENCING_TOKEN} (a Long, put
 * before the job runs) and {@value #VETO_REASON} (a String, put before a veto).
 */
final class HistoryRecorder extends JobListenerSupport {
  private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);
  static final String FENCING_TOKEN = Task.FENCING_TOKEN;
  static final String VETO_REASON = Task.VETO_REASON;
  private static final String STARTED_AT = "baton.history.startedAt";

  private final HistoryWriter writer;
  private final String node;

  /** The database's clock, so that times recorded by different nodes compare. */
  private final LongSupplier clock;

  HistoryRecorder(HistoryWriter writer, String node, LongSupplier clock) {
    this.writer = writer;
    this.node = node;
    this.clock = clock;
  }

  @Override
  public String getName() {
    return "baton-history";
  }

  // Each callback catches everything: Quartz sends a trigger to ERROR when a listener throws, and
  // history must never change what the scheduler does.

  @Override
  public void jobToBeExecuted(JobExecutionContext ctx) {
    try {
      long now = clock.getAsLong();
      ctx.put(STARTED_AT, now);
      Row started = row(ctx, now, null, Outcome.RUNNING, null, null, null);
      if (TransactionalJobs.isTransactional(ctx.getJobDetail().getJobClass())) {
        writer.startedNow(started);
      } else {
        writer.started(started);
      }
    } catch (RuntimeException e) {
      log.error("Node {}: could not record the start of {}", node, ctx.getFireInstanceId(), e);
    }
  }

  @Override
  public void jobExecutionVetoed(JobExecutionContext ctx) {
    try {
      long now = clock.getAsLong();
      Object reason = ctx.get(VETO_REASON);
      String message = reason == null ? null : Bounded.cut(reason.toString(), Bounded.MAX_MESSAGE);
      writer.single(row(ctx, now, now, Outcome.VETOED, null, message, null));
    } catch (RuntimeException e) {
      log.error("Node {}: could not record the veto of {}", node, ctx.getFireInstanceId(), e);
    }
  }

  @Override
  public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException failure) {
    try {
      recordEnd(ctx, failure);
    } catch (RuntimeException e) {
      log.error("Node {}: could not record the end of {}", node, ctx.getFireInstanceId(), e);
    }
  }

  /**
   * Writes an exactly-once execution's success in its own transaction, so the history shows it done
   * exactly when its work committed (the end written later repeats it, with its details).
   */
  void committing(Connection conn, JobExecutionContext ctx) throws SQLException {
    long end = clock.getAsLong();
    Object started = ctx.get(STARTED_AT);
    long start = started instanceof Long l ? l : ctx.getFireTime().getTime();
    writer.writeIn(conn, row(ctx, start, end, Outcome.SUCCEEDED, null, null, null));
  }

  private void recordEnd(JobExecutionContext ctx, JobExecutionException failure) {
    long end = clock.getAsLong();
    Object started = ctx.get(STARTED_AT);
    long start = started instanceof Long l ? l : ctx.getFireTime().getTime();
    Row row;
    if (ctx.getJobInstance() instanceof UnavailableJob u) {
      String why = "job class " + u.jobClass() + " cannot run on node " + node + ": " + u.reason();
      row =
          row(ctx, start, end, Outcome.SKIPPED, null, Bounded.cut(why, Bounded.MAX_MESSAGE), null);
    } else if (failure != null) {
      Throwable t = cause(failure);
      row =
          row(
              ctx,
              start,
              end,
              Outcome.FAILED,
              t.getClass().getName(),
              Bounded.cut(t.getMessage(), Bounded.MAX_MESSAGE),
              Bounded.stackTrace(t));
    } else {
      row = row(ctx, start, end, Outcome.SUCCEEDED, null, null, null);
    }
    writer.finished(row);
  }

  /**
   * What the job threw. Quartz 2.5 wraps a job's runtime exception in a
   * JobExecutionProcessException inside a JobExecutionException whose message is just the cause's
   * {@code toString()}; those wrappers are peeled off, while a job's own JobExecutionException is
   * kept.
   */
  private static Throwable cause(JobExecutionException e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof JobExecutionProcessException
            || (t instanceof JobExecutionException
                && t.getCause().toString().equals(t.getMessage())))) {
      t = t.getCause();
    }
    return t;
  }

  private Row row(
      JobExecutionContext ctx,
      long start,
      Long end,
      Outcome outcome,
      String errorClass,
      String message,
      String stack) {
    JobKey job = ctx.getJobDetail().getKey();
    // A recovery re-run records the original trigger and due time: the same firing, run again.
    TriggerKey trigger = ctx.getTrigger().getKey();
    if (ctx.isRecovering() && ctx.getRecoveringTriggerKey().getName() != null) {
      trigger = ctx.getRecoveringTriggerKey();
    }
    Long scheduled = scheduledFireTime(ctx);
    String id =
        ctx.getFireInstanceId() + (ctx.getRefireCount() > 0 ? "#" + ctx.getRefireCount() : "");
    Object token = ctx.get(FENCING_TOKEN);
    Object attached = end == null ? null : ctx.get(ExecutionLog.CONTEXT_KEY);
    String details = null;
    String log = null;
    if (attached instanceof ExecutionLog l) {
      details = Bounded.encode(l.details());
      log = l.text();
    }
    return new Row(
        id,
        job.getName(),
        job.getGroup(),
        trigger.getName(),
        trigger.getGroup(),
        scheduled,
        start,
        end,
        node,
        outcome,
        ctx.getRefireCount(),
        ctx.isRecovering(),
        token instanceof Number n ? n.longValue() : null,
        errorClass,
        message,
        stack,
        details,
        log);
  }

  private static Long scheduledFireTime(JobExecutionContext ctx) {
    if (ctx.isRecovering()) {
      Object original =
          ctx.getMergedJobDataMap()
              .get(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
      if (original != null) {
        try {
          return Long.parseLong(original.toString());
        } catch (NumberFormatException ignored) {
          // Fall back to the recovery trigger's own time below.
        }
      }
    }
    return ctx.getScheduledFireTime() == null ? null : ctx.getScheduledFireTime().getTime();
  }
}
