package dev.baton.internal.store;

import static dev.baton.internal.store.QuartzTransaction.TRIGGER_ACCESS;

import dev.baton.internal.store.QuartzTransaction.Check;
import dev.baton.internal.store.QuartzTransaction.Step;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.Constants;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;

/**
 * The firing of acquired triggers, split two ways: fast-lane claims without the cluster lock
 * ({@link FastLane#fire}; those fired when they were claimed are handed out as they are), the rest
 * a batch at a time under {@code TRIGGER_ACCESS} ({@link TriggerBatches#fire}), with Quartz's own
 * per-trigger firing for what the batched way does not cover. Only what is still this node's is
 * fired ({@link #fireIfOwned}); like Quartz, a commit that failed is checked for having happened by
 * looking for this node's executing entries. Trigger times are in database time.
 */
final class Firing {
  /** Quartz's own firing of one trigger, in the caller's transaction ({@code triggerFired}). */
  @FunctionalInterface
  interface QuartzTriggerFired {
    TriggerFiredBundle fire(Connection conn, OperableTrigger trigger)
        throws JobPersistenceException;
  }

  private final StoreContext ctx;
  private final FastLane fastLane;
  private final TriggerBatches batches;
  private final NonConcurrency nonConcurrency;
  private final QuartzTransaction transaction;
  private final QuartzTriggerFired quartz;
  private final ExecutionTokens tokens;
  private final FiringLead lead;

  /** Wakes the scheduler thread once the transaction commits (Quartz's signal). */
  private final LongConsumer signalOnCommit;

  // The transactions' steps, made once (see QuartzTransaction).
  private final TriggerBatches.QuartzFiring byQuartz;
  private final Step<List<OperableTrigger>, List<TriggerFiredResult>> fireClaims;
  private final Step<List<OperableTrigger>, List<TriggerFiredResult>> fireAcquired;
  private final Check<List<OperableTrigger>, List<TriggerFiredResult>> executing;

  Firing(
      StoreContext ctx,
      FastLane fastLane,
      TriggerBatches batches,
      NonConcurrency nonConcurrency,
      QuartzTransaction transaction,
      QuartzTriggerFired quartz,
      ExecutionTokens tokens,
      FiringLead lead,
      LongConsumer signalOnCommit) {
    this.ctx = ctx;
    this.fastLane = fastLane;
    this.batches = batches;
    this.nonConcurrency = nonConcurrency;
    this.transaction = transaction;
    this.quartz = quartz;
    this.tokens = tokens;
    this.lead = lead;
    this.signalOnCommit = signalOnCommit;
    byQuartz = this::fireOne;
    // Each execution is numbered in the transaction that fires it (see ExecutionTokens).
    fireClaims = (conn, triggers) -> numbered(conn, fastLane.fire(conn, triggers));
    fireAcquired = (conn, triggers) -> numbered(conn, batches.fire(conn, triggers, byQuartz));
    executing = (conn, triggers, results) -> anyExecuting(conn, results);
  }

  /** Fires acquired triggers: one result per trigger, in order. */
  List<TriggerFiredResult> fire(List<OperableTrigger> triggers) throws JobPersistenceException {
    List<OperableTrigger> claimed = new ArrayList<>();
    List<OperableTrigger> acquired = new ArrayList<>();
    for (OperableTrigger t : triggers) (fastLane.isClaim(t) ? claimed : acquired).add(t);
    if (acquired.isEmpty()) return fireClaimed(claimed);
    if (claimed.isEmpty()) return fireAcquired(acquired);
    Map<OperableTrigger, TriggerFiredResult> byTrigger = new IdentityHashMap<>();
    List<TriggerFiredResult> fast = fireClaimed(claimed);
    for (int i = 0; i < claimed.size(); i++) byTrigger.put(claimed.get(i), fast.get(i));
    List<TriggerFiredResult> locked = fireAcquired(acquired);
    for (int i = 0; i < acquired.size(); i++) byTrigger.put(acquired.get(i), locked.get(i));
    List<TriggerFiredResult> results = new ArrayList<>(triggers.size());
    for (OperableTrigger t : triggers) results.add(byTrigger.get(t));
    return results;
  }

  /**
   * Fires fast-lane claims without the cluster lock (see {@link FastLane#fire}); those fired when
   * they were claimed are handed out as they are.
   */
  private List<TriggerFiredResult> fireClaimed(List<OperableTrigger> claimed)
      throws JobPersistenceException {
    List<TriggerFiredResult> results = new ArrayList<>(claimed.size());
    List<OperableTrigger> toFire = new ArrayList<>();
    for (OperableTrigger t : claimed) {
      TriggerFiredResult fired = fastLane.takeFired(t);
      results.add(fired);
      if (fired == null) toFire.add(t);
    }
    if (!toFire.isEmpty()) {
      long start = System.nanoTime();
      List<TriggerFiredResult> now = transaction.run(null, fireClaims, toFire, executing);
      lead.took(System.nanoTime() - start);
      for (int i = 0, j = 0; i < results.size(); i++) {
        if (results.get(i) == null) results.set(i, now.get(j++));
      }
    }
    for (int i = 0; i < claimed.size(); i++) {
      // The rest stay claims until Quartz releases them.
      if (results.get(i).getTriggerFiredBundle() != null) fastLane.forget(claimed.get(i));
    }
    return results;
  }

  private List<TriggerFiredResult> fireAcquired(List<OperableTrigger> triggers)
      throws JobPersistenceException {
    long start = System.nanoTime();
    List<TriggerFiredResult> fired =
        transaction.run(TRIGGER_ACCESS, fireAcquired, triggers, executing);
    lead.took(System.nanoTime() - start);
    return fired;
  }

  private List<TriggerFiredResult> numbered(Connection conn, List<TriggerFiredResult> results)
      throws JobPersistenceException {
    tokens.assign(conn, results);
    return results;
  }

  /** Quartz's check after a commit that failed: were the triggers fired after all? */
  private boolean anyExecuting(Connection conn, List<TriggerFiredResult> results)
      throws JobPersistenceException {
    List<String> ids = new ArrayList<>(results.size());
    for (TriggerFiredResult r : results) {
      TriggerFiredBundle b = r.getTriggerFiredBundle();
      if (b != null) ids.add(b.getTrigger().getFireInstanceId());
    }
    return FiredEntries.anyOwn(ctx, conn, ids, Constants.STATE_EXECUTING);
  }

  /**
   * Fires an acquired trigger only if this node's acquisition still stands. When the cluster
   * declares a node dead it deletes the node's {@code FIRED_TRIGGERS} entries and puts its acquired
   * triggers back in service, and another node may then acquire and fire them. Stock Quartz only
   * checks that the trigger is {@code ACQUIRED} — by anyone — so a paused node waking up fired the
   * firings it had acquired before its pause a second time, and from its stale copy of the trigger
   * replayed every firing the cluster had already run meanwhile (found by the fault suite's SIGSTOP
   * scenario). Runs under {@code TRIGGER_ACCESS}, like recovery, so the check cannot race it.
   */
  TriggerFiredBundle fireIfOwned(Connection conn, OperableTrigger trigger)
      throws JobPersistenceException {
    if (!FiredEntries.owns(ctx, conn, trigger)) {
      FiredEntries.logTakenBack(ctx.nodeId(), trigger);
      return null;
    }
    return fireOwned(conn, trigger);
  }

  /**
   * Quartz's firing of a trigger whose acquisition is known to be this node's, limits applied; its
   * fire time as the batched path sets it ({@link FiringLead#fireTime}), on the database's clock
   * (Quartz's is this node's wall clock).
   */
  private TriggerFiredBundle fireOwned(Connection conn, OperableTrigger trigger)
      throws JobPersistenceException {
    TriggerFiredBundle b = quartz.fire(conn, trigger);
    if (b == null) return null;
    if (nonConcurrency.fired(conn, b.getJobDetail())) signalOnCommit.accept(0L);
    return new TriggerFiredBundle(
        b.getJobDetail(),
        b.getTrigger(),
        b.getCalendar(),
        b.isRecovering(),
        FiringLead.fireTime(ctx.dbNow(), b.getScheduledFireTime()),
        b.getScheduledFireTime(),
        b.getPrevFireTime(),
        b.getNextFireTime());
  }

  /**
   * Quartz's own firing of one trigger whose acquisition {@link TriggerBatches#fire} has just found
   * to be this node's, in the same transaction (so the ownership check is not repeated).
   */
  private TriggerFiredResult fireOne(Connection conn, OperableTrigger trigger) {
    try {
      return new TriggerFiredResult(fireOwned(conn, trigger));
    } catch (JobPersistenceException | RuntimeException e) {
      return new TriggerFiredResult(e);
    }
  }
}
