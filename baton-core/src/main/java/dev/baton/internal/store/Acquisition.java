package dev.baton.internal.store;

import static dev.baton.internal.store.QuartzTransaction.TRIGGER_ACCESS;

import dev.baton.internal.WorkerPool;
import dev.baton.internal.store.CapabilityAwareDelegate.Lane;
import dev.baton.internal.store.QuartzTransaction.Check;
import dev.baton.internal.store.QuartzTransaction.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.quartz.JobPersistenceException;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which due triggers this node takes, and how it gives back what it took. With the fast lane on,
 * due fast-lane triggers are claimed without the cluster lock ({@link FastLane}), and the lock is
 * taken only when other due triggers remain and workers to run them ({@link SlowLaneTurn}); with it
 * off, Quartz's acquisition under the lock, a batch at a time ({@link TriggerBatches}). What cannot
 * be handed back takes only as many triggers as there are free workers. A release or a hand-back
 * undoes an acquisition only while it is still this node's ({@link FiredEntries}). Bounds are in
 * database time ({@link ClockTranslation} translates the scheduler thread's).
 */
final class Acquisition {
  private static final Logger log = LoggerFactory.getLogger(Acquisition.class);

  /** Longest an acquisition outside the fast lane waits for a free worker before trying again. */
  private static final long MAX_WORKER_WAIT_MILLIS = 1_000;

  /** An acquisition's bounds, on the database's clock. */
  private record Window(long noLaterThan, int maxCount, long timeWindow) {}

  private final StoreContext ctx;
  private final FastLane fastLane;
  private final TriggerBatches batches;
  private final NonConcurrency nonConcurrency;
  private final QuartzTransaction transaction;
  private final QuartzTransaction.Retried retried;
  private final FiringLead lead;

  /** Quartz's own acquisition, under the lock (it calls back {@link #acquireLocked}). */
  private final ClockTranslation.Acquire quartz;

  private final SlowLaneTurn slowLaneTurn = new SlowLaneTurn();
  private volatile WorkerPool workers;

  // The transactions' steps, made once (see QuartzTransaction).
  private final Step<Window, FastLane.Claim> claim;
  private final Check<Window, FastLane.Claim> claimCommitted;
  private final Step<Window, Boolean> slowWorkDue;
  private final Step<OperableTrigger, Void> releaseClaim;
  private final Step<OperableTrigger, Void> releaseLocked;
  private final Step<List<TriggerFiredResult>, Void> restore;
  private final Step<TriggerFiredBundle, Boolean> undo;
  private final Check<TriggerFiredBundle, Boolean> undoCommitted;

  Acquisition(
      StoreContext ctx,
      FastLane fastLane,
      TriggerBatches batches,
      NonConcurrency nonConcurrency,
      QuartzTransaction transaction,
      QuartzTransaction.Retried retried,
      FiringLead lead,
      ClockTranslation.Acquire quartz) {
    this.ctx = ctx;
    this.fastLane = fastLane;
    this.batches = batches;
    this.nonConcurrency = nonConcurrency;
    this.transaction = transaction;
    this.retried = retried;
    this.lead = lead;
    this.quartz = quartz;
    claim = (conn, w) -> fastLane.claim(conn, w.noLaterThan(), w.maxCount(), w.timeWindow());
    claimCommitted = (conn, w, c) -> anyOwnEntry(conn, c.triggers());
    slowWorkDue = (conn, w) -> fastLane.slowWorkDue(conn, w.noLaterThan() + w.timeWindow());
    releaseClaim =
        (conn, t) -> {
          fastLane.release(conn, t);
          return null;
        };
    releaseLocked =
        (conn, t) -> {
          releaseLocked(conn, t);
          return null;
        };
    restore =
        (conn, firings) -> {
          fastLane.restore(conn, firings);
          return null;
        };
    undo = (conn, f) -> fastLane.undo(conn, f);
    // A commit that failed happened after all if the execution entry is gone.
    undoCommitted =
        (conn, f, undone) ->
            !FiredEntries.anyOwn(ctx, conn, List.of(f.getTrigger().getFireInstanceId()), null);
  }

  /** The node's workers: acquisitions that must not queue take only as many as are free. */
  void workers(WorkerPool workers) {
    this.workers = workers;
  }

  /**
   * Claims due fast-lane triggers without the cluster lock and takes the lock only when other due
   * triggers remain to be acquired and workers to run them; with the fast lane off, Quartz's
   * acquisition under the lock.
   */
  List<OperableTrigger> acquire(long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    if (!fastLane.isOn()) {
      int room = Math.min(maxCount, workers.awaitFreeWorker(MAX_WORKER_WAIT_MILLIS));
      return room <= 0 ? List.of() : quartz.acquire(noLaterThan, room, timeWindow);
    }
    List<OperableTrigger> slow = List.of();
    if (slowLaneTurn.take()) {
      // Behind a backlog of fast-lane firings, due triggers outside the lane go first now and then.
      try {
        slow = acquireSlowLane(new Window(noLaterThan, maxCount, timeWindow), 0);
      } catch (JobPersistenceException e) {
        log.warn(
            "Node {}: could not acquire triggers under the cluster lock; claiming the fast"
                + " lane's",
            ctx.nodeId(),
            e);
      }
      if (slow.size() >= maxCount) return slow;
    }
    Window window = new Window(noLaterThan, maxCount - slow.size(), timeWindow);
    long start = System.nanoTime();
    FastLane.Claim claimed = transaction.run(null, claim, window, claimCommitted);
    if (!claimed.fired().isEmpty()) lead.took(System.nanoTime() - start);
    fastLane.claimed(claimed);
    List<OperableTrigger> triggers = claimed.triggers();
    if (!slow.isEmpty()) return concat(slow, triggers);
    // Triggers outside the fast lane cannot be handed back (see WorkerPool): take only as many as
    // there are workers left free by the claimed ones, which are dispatched first, so none queues.
    int room = Math.min(maxCount, workers.freeWorkers()) - triggers.size();
    if (room <= 0 && !triggers.isEmpty()) {
      slowLaneTurn.skipped();
      return triggers;
    }
    slowLaneTurn.looked();
    try {
      return concat(triggers, acquireSlowLane(window, room));
    } catch (JobPersistenceException e) {
      if (triggers.isEmpty()) throw e;
      log.warn(
          "Node {}: could not acquire triggers under the cluster lock; firing the {} claimed",
          ctx.nodeId(),
          triggers.size(),
          e);
      return triggers;
    }
  }

  /**
   * Due triggers outside the fast lane, acquired under the cluster lock for {@code room} workers
   * (for those free now, waiting for one if none is, when {@code room} is not positive); empty
   * without taking the lock when none is due.
   */
  private List<OperableTrigger> acquireSlowLane(Window w, int room) throws JobPersistenceException {
    if (!transaction.run(null, slowWorkDue, w, null)) return List.of();
    if (room <= 0) room = Math.min(w.maxCount(), workers.awaitFreeWorker(MAX_WORKER_WAIT_MILLIS));
    return room <= 0 ? List.of() : quartz.acquire(w.noLaterThan(), room, w.timeWindow());
  }

  private static List<OperableTrigger> concat(
      List<OperableTrigger> first, List<OperableTrigger> then) {
    if (then.isEmpty()) return first;
    List<OperableTrigger> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  /** Quartz's check after a claiming commit that failed: did it happen after all? */
  private boolean anyOwnEntry(Connection conn, List<OperableTrigger> claimed)
      throws JobPersistenceException {
    List<String> ids = new ArrayList<>(claimed.size());
    for (OperableTrigger t : claimed) ids.add(t.getFireInstanceId());
    return FiredEntries.anyOwn(ctx, conn, ids, null);
  }

  /**
   * Quartz's acquisition under the lock, in its transaction: a batch of triggers in a few
   * statements ({@link TriggerBatches}); with the fast lane on, only triggers outside it.
   */
  List<OperableTrigger> acquireLocked(
      Connection conn, long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    Lane lane = fastLane.isOn() ? Lane.SLOW : Lane.ANY;
    // The rows are locked as they are read: a node whose fast lane is already on may be claiming
    // some of them (the lane turns on node by node, within a check-in interval).
    return batches.acquire(conn, noLaterThan, maxCount, timeWindow, lane, ctx.sql().waitingLockT);
  }

  /** Releases a fast-lane claim without the cluster lock, anything else as Quartz does. */
  void release(OperableTrigger trigger) {
    TriggerFiredResult fired = fastLane.takeFired(trigger);
    if (fired != null) {
      // Fired when it was claimed, and yet not run: put back, neither lost nor run twice.
      fastLane.forget(trigger);
      retried.run(null, restore, List.of(fired));
    } else if (fastLane.forget(trigger)) {
      retried.run(null, releaseClaim, trigger);
    } else {
      // Quartz's releaseAcquiredTrigger: retried under the lock, calling back releaseLocked.
      retried.run(TRIGGER_ACCESS, releaseLocked, trigger);
    }
  }

  /**
   * Releases an acquired trigger that was not fired, in Quartz's transaction, only if the
   * acquisition is still this node's (see {@link Firing#fireIfOwned}); its job's non-concurrency
   * decides whether it is unblocked ({@link NonConcurrency#released}).
   */
  void releaseLocked(Connection conn, OperableTrigger trigger) throws JobPersistenceException {
    if (!FiredEntries.owns(ctx, conn, trigger)) return;
    try {
      fastLane.releaseClaim(conn, trigger);
      nonConcurrency.released(conn, trigger.getKey(), trigger.getJobKey());
      ctx.delegate().deleteFiredTrigger(conn, trigger.getFireInstanceId());
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Couldn't release acquired trigger " + trigger.getKey() + ": " + e, e);
    }
  }

  /**
   * The way back for firings a node claimed ahead and queued ({@link WorkerPool}): an ordinary
   * firing, while the fast lane is on, is undone if its trigger is still as the firing left it
   * ({@link FastLane#undo}).
   */
  WorkerPool.HandBack handBack() {
    return new WorkerPool.HandBack() {
      @Override
      public boolean canHandBack(TriggerFiredBundle firing) {
        return fastLane.isOn() && FastLane.undoable(firing);
      }

      @Override
      public boolean handBack(TriggerFiredBundle firing) throws JobPersistenceException {
        return transaction.run(null, undo, firing, undoCommitted);
      }
    };
  }

  /** At shutdown: hands back the firings claimed (and fired) but never asked for. */
  void handBackUnrun() {
    try {
      transaction.run(
          null,
          (conn, x) -> {
            fastLane.restoreUnclaimedFirings(conn);
            return null;
          },
          null,
          null);
    } catch (JobPersistenceException e) {
      log.error(
          "Node {}: could not hand back firings claimed but never run; the cluster recovers"
              + " them as the executions of a node that died",
          ctx.nodeId(),
          e);
    }
  }
}
