package dev.baton.internal.store;

import static dev.baton.internal.store.QuartzTransaction.TRIGGER_ACCESS;

import dev.baton.internal.store.CompletionGroupCommit.Finished;
import dev.baton.internal.store.QuartzTransaction.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing of finished executions, off the worker threads. A worker hands its completion to a
 * committer thread ({@link CompletionGroupCommit}), which writes those that arrived together at
 * once: the plain ones without the cluster lock ({@link CompletionBatches#completeWithoutLock}),
 * the rest through Quartz's own completion under {@code TRIGGER_ACCESS} in a second transaction,
 * and each on its own through Quartz's retried path if that fails. A failed attempt whose next
 * attempt {@code RetryListener} decided ({@link #retryWithCompletion}) is written with that retry,
 * in one transaction. Only a completion whose execution is still this node's is written.
 */
final class Completion {
  private static final Logger log = LoggerFactory.getLogger(Completion.class);

  /** How long shutdown waits for queued completions when the database does not take them. */
  private static final long FLUSH_MILLIS = 30_000;

  /** Quartz's own completion of an execution, in the caller's transaction. */
  @FunctionalInterface
  interface QuartzCompletion {
    void complete(
        Connection conn,
        OperableTrigger trigger,
        JobDetail job,
        CompletedExecutionInstruction instruction)
        throws JobPersistenceException;
  }

  /** Quartz's {@code storeTrigger} of a new, waiting trigger of an existing job. */
  @FunctionalInterface
  interface QuartzStoreTrigger {
    void store(Connection conn, OperableTrigger trigger, JobDetail job)
        throws JobPersistenceException;
  }

  /** A failed attempt's completion and its next attempt. */
  private record WithRetry(Finished attempt, OperableTrigger retry) {}

  private final StoreContext ctx;
  private final CompletionBatches batches;
  private final QuartzTransaction transaction;
  private final QuartzTransaction.Retried retried;
  private final QuartzCompletion quartz;
  private final QuartzStoreTrigger storeTrigger;

  /** Wakes the scheduler thread once the transaction commits (Quartz's signal). */
  private final LongConsumer signalOnCommit;

  private final Map<String, OperableTrigger> retries = new ConcurrentHashMap<>();
  private final CompletionGroupCommit groups;

  // The transactions' steps, made once (see QuartzTransaction).
  private final Step<List<Finished>, List<Finished>> withoutLock;
  private final Step<List<Finished>, Void> underLock;
  private final Step<Finished, Void> one;
  private final Step<WithRetry, Void> withRetry;

  Completion(
      StoreContext ctx,
      CompletionBatches batches,
      QuartzTransaction transaction,
      QuartzTransaction.Retried retried,
      QuartzCompletion quartz,
      QuartzStoreTrigger storeTrigger,
      LongConsumer signalOnCommit) {
    this.ctx = ctx;
    this.batches = batches;
    this.transaction = transaction;
    this.retried = retried;
    this.quartz = quartz;
    this.storeTrigger = storeTrigger;
    this.signalOnCommit = signalOnCommit;
    this.groups =
        new CompletionGroupCommit(
            new CompletionGroupCommit.Writer() {
              @Override
              public void writeAll(List<Finished> group) throws JobPersistenceException {
                // Plain completions touch only this node's rows: no cluster lock. The rest take
                // Quartz's path under it, in a second transaction.
                List<Finished> rest = transaction.run(null, withoutLock, group, null);
                if (rest.isEmpty()) return;
                try {
                  transaction.run(TRIGGER_ACCESS, underLock, rest, null);
                } catch (JobPersistenceException | RuntimeException e) {
                  for (Finished f : rest) writeOne(f);
                }
              }

              @Override
              public void writeOne(Finished f) {
                // Quartz's triggeredJobComplete: retried under the lock, calling back
                // completeIfOwned.
                retried.run(TRIGGER_ACCESS, one, f);
              }
            });
    withoutLock = (conn, group) -> batches.completeWithoutLock(conn, group);
    underLock =
        (conn, group) -> {
          for (Finished f : group) completeIfOwned(conn, f.trigger, f.job, f.instruction);
          return null;
        };
    one =
        (conn, f) -> {
          completeIfOwned(conn, f.trigger, f.job, f.instruction);
          return null;
        };
    withRetry =
        (conn, r) -> {
          completeWithRetry(conn, r.attempt(), r.retry());
          return null;
        };
    groups.start("baton-" + ctx.nodeId() + "-completions");
  }

  /**
   * Hands the completion to the committer thread; the worker thread is free at once. A failed
   * attempt whose next attempt {@link #retryWithCompletion} holds is written here instead, with
   * that retry, or not at all.
   */
  void complete(OperableTrigger trigger, JobDetail job, CompletedExecutionInstruction instruction) {
    OperableTrigger retry = retries.remove(trigger.getFireInstanceId());
    if (retry != null) {
      retried.run(
          TRIGGER_ACCESS, withRetry, new WithRetry(new Finished(trigger, job, instruction), retry));
      return;
    }
    groups.complete(new Finished(trigger, job, instruction));
  }

  /**
   * Stores {@code next} in the transaction that completes the failed attempt {@code fireInstanceId}
   * ({@code RetryListener} decides before Quartz completes it). Committed apart, a node dying
   * between the two left a recoverable job both re-run by recovery and retried.
   */
  void retryWithCompletion(String fireInstanceId, OperableTrigger next) {
    retries.put(fireInstanceId, next);
  }

  /** Writes the completions still queued (after the workers have finished). */
  void close() {
    groups.close(FLUSH_MILLIS);
  }

  /**
   * Completes an execution only if the cluster has not taken it back. A node declared dead while
   * paused finishes its stale execution when it wakes; stock Quartz then set the job's triggers
   * from {@code BLOCKED} to {@code WAITING} although the recovered execution or a later firing was
   * running elsewhere, so a non-concurrent job started a second, overlapping execution. The trigger
   * states now belong to the node that owns them.
   */
  void completeIfOwned(
      Connection conn,
      OperableTrigger trigger,
      JobDetail job,
      CompletedExecutionInstruction instruction)
      throws JobPersistenceException {
    if (!FiredEntries.owns(ctx, conn, trigger)) {
      FiredEntries.logLateCompletion(ctx.nodeId(), trigger, job);
      return;
    }
    quartz.complete(conn, trigger, job, instruction);
  }

  private void completeWithRetry(Connection conn, Finished attempt, OperableTrigger retry)
      throws JobPersistenceException {
    OperableTrigger trigger = attempt.trigger;
    JobDetail job = attempt.job;
    if (!FiredEntries.owns(ctx, conn, trigger)) {
      FiredEntries.logLateCompletion(ctx.nodeId(), trigger, job);
      log.warn(
          "Node {}: attempt {} of {} not stored: the cluster took the failed attempt back",
          ctx.nodeId(),
          retry.getKey(),
          job.getKey());
      return;
    }
    try {
      if (!ctx.delegate().jobExists(conn, job.getKey())) {
        log.warn(
            "Node {}: job {} was deleted while it ran; its retry {} is dropped",
            ctx.nodeId(),
            job.getKey(),
            retry.getKey());
      } else if (!ctx.delegate().triggerExists(conn, retry.getKey())) {
        // Stored before the completion: a one-shot's non-durable job outlives its finished trigger.
        storeTrigger.store(conn, retry, job);
        signalOnCommit.accept(retry.getNextFireTime().getTime());
      }
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not store retry " + retry.getKey() + ": " + e, e);
    }
    quartz.complete(conn, trigger, job, attempt.instruction);
  }
}
