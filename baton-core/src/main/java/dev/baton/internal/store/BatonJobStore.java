package dev.baton.internal.store;

import dev.baton.internal.NodeDeathListener;
import dev.baton.internal.WorkerPool;
import dev.baton.scheduling.Registration;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.database.DatabaseClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.SchedulerConfigException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's clustered JDBC store with Baton's additions, each run inside Quartz's own transaction and
 * {@code TRIGGER_ACCESS} row lock so it serialises with every node's acquisition:
 *
 * <ul>
 *   <li>the node's shared class loader for every class Quartz loads;
 *   <li>a configurable failure-detection grace instead of Quartz's hard-coded 7.5 s;
 *   <li>idempotent, in-place task registration;
 *   <li>a set-based reset of triggers in ERROR;
 *   <li>{@link NodeDeathListener}s told, in the recovery transaction, which nodes were declared dead;
 *   <li>a node declared dead while it was only paused (GC, VM stall, SIGSTOP) does not act on work
 *       the cluster took back from it when it wakes: see {@link #triggerFired};
 *   <li>acquisition, firing and completion a batch of triggers at a time ({@link TriggerBatches}),
 *       with group commit of job completions.
 * </ul>
 *
 * <p>Each mechanism is a collaborator given values ({@link StoreContext}), never the store:
 * {@link FastLane}, {@link TriggerBatches}, {@link CompletionBatches}, {@link ClockTranslation},
 * {@link PausedTriggers}, {@link ErroredTriggers}, {@link ConcurrencyLimit}, {@link FiredEntries},
 * {@link TaskRegistration}; the SQL of all of them is {@link SchedulerSql}'s.
 */
public final class BatonJobStore extends JobStoreTX {
  private static final Logger log = LoggerFactory.getLogger(BatonJobStore.class);
  /** How long shutdown waits for queued completions when the database does not take them. */
  private static final long COMPLETION_FLUSH_MILLIS = 30_000;
  /** Longest an acquisition outside the fast lane waits for a free worker before trying again. */
  private static final long MAX_WORKER_WAIT_MILLIS = 1_000;
  private final DataSource dataSource;
  private final SharedClassLoadHelper classes;
  private final long failureGraceMillis;
  private final DatabaseClock clock;
  private final SchedulerSql sql;
  private final List<NodeDeathListener> deathListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  // Built in initialize, once Quartz has named the node and created its delegate.
  private StoreContext context;
  private TriggerBatches batches;
  private FastLane fastLane;
  private CompletionBatches completed;
  private ErroredTriggers errored;
  private PausedTriggers paused;
  private NonConcurrency nonConcurrency;
  private ClockTranslation clockTranslation;
  private volatile WorkerPool workers;
  private final SlowLaneTurn slowLaneTurn = new SlowLaneTurn();
  private final Map<String, OperableTrigger> retries = new ConcurrentHashMap<>();
  private final CompletionGroupCommit completions =
      new CompletionGroupCommit(
          new CompletionGroupCommit.Writer() {
            @Override
            public void writeAll(List<CompletionGroupCommit.Completion> group)
                throws JobPersistenceException {
              // Plain completions touch only this node's rows: no cluster lock. The rest take
              // Quartz's path under it, in a second transaction.
              List<CompletionGroupCommit.Completion> rest =
                  executeInNonManagedTXLock(null, conn -> completed.completeWithoutLock(conn, group), null);
              if (rest.isEmpty()) return;
              try {
                inTriggerLock(
                    conn -> {
                      for (CompletionGroupCommit.Completion c : rest) {
                        triggeredJobComplete(conn, c.trigger, c.job, c.instruction);
                      }
                      return null;
                    });
              } catch (JobPersistenceException | RuntimeException e) {
                for (CompletionGroupCommit.Completion c : rest) writeOne(c);
              }
            }

            @Override
            public void writeOne(CompletionGroupCommit.Completion c) {
              BatonJobStore.super.triggeredJobComplete(c.trigger, c.job, c.instruction);
            }
          });

  public BatonJobStore(DataSource dataSource, SchedulerSql sql, SharedClassLoadHelper classes,
      long failureGraceMillis, DatabaseClock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.sql = Objects.requireNonNull(sql, "sql");
    this.classes = classes;
    this.failureGraceMillis = failureGraceMillis;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void initialize(ClassLoadHelper ignored, SchedulerSignaler signaler)
      throws SchedulerConfigException {
    // Quartz's factory passes its own cascading helper; every node must resolve classes alike.
    super.initialize(classes, signaler);
    // Quartz creates the delegate by class name; it gets Baton's statements before first use.
    CapabilityAwareDelegate delegate;
    try {
      delegate = (CapabilityAwareDelegate) getDelegate();
    } catch (JobPersistenceException e) {
      throw new SchedulerConfigException("Could not create the driver delegate: " + e, e);
    }
    delegate.use(sql);
    context = new StoreContext(sql, getInstanceName(), getInstanceId(), clock, delegate,
        getMisfireThreshold(), this::getFiredTriggerRecordId);
    batches = new TriggerBatches(context);
    fastLane = new FastLane(context, batches);
    completed = new CompletionBatches(context);
    errored = new ErroredTriggers(context);
    paused = new PausedTriggers(context);
    nonConcurrency = new NonConcurrency(context);
    clockTranslation = new ClockTranslation(clock, getInstanceId());
    completions.start("baton-" + getInstanceId() + "-completions");
  }

  /**
   * Takes connections from the node's own pool, not through Quartz's {@code DBConnectionManager}:
   * that registry is one unsynchronised {@code HashMap} per JVM, and nodes started at the same
   * moment in one JVM lost each other's entries there ("There is no DataSource named …").
   */
  @Override
  protected Connection getConnection() throws JobPersistenceException {
    Connection conn;
    try {
      conn = getAttributeRestoringConnection(dataSource.getConnection());
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not get a connection from the node's DataSource: " + e, e);
    }
    try {
      conn.setAutoCommit(false);
      return conn;
    } catch (SQLException e) {
      closeConnection(conn);
      throw new JobPersistenceException("Could not start a transaction on the node's DataSource: " + e, e);
    }
  }

  /** Writes the completions still queued (Quartz calls this after the workers have finished). */
  @Override
  public void shutdown() {
    try {
      executeInNonManagedTXLock(null, conn -> {
        fastLane.restoreUnclaimedFirings(conn);
        return null;
      }, null);
    } catch (JobPersistenceException e) {
      log.error("Node {}: could not hand back firings claimed but never run; the cluster recovers them"
          + " as the executions of a node that died", getInstanceId(), e);
    }
    completions.close(COMPLETION_FLUSH_MILLIS);
    super.shutdown();
  }

  /**
   * Hands the completion to the committer thread, which writes the completions that arrive
   * together at once (see {@link CompletionGroupCommit} and {@link
   * CompletionBatches#completeWithoutLock}); the worker thread is free at once. A failed attempt
   * whose next attempt {@link #retryWithCompletion} holds is written here instead, with that retry.
   */
  @Override
  public void triggeredJobComplete(
      OperableTrigger trigger, JobDetail jobDetail, CompletedExecutionInstruction instruction) {
    OperableTrigger retry = retries.remove(trigger.getFireInstanceId());
    if (retry != null) {
      // Quartz's retrying path: the completion and the retry are written together or not at all.
      retryExecuteInNonManagedTXLock(LOCK_TRIGGER_ACCESS, conn -> {
        completeWithRetry(conn, trigger, jobDetail, instruction, retry);
        return null;
      });
      return;
    }
    completions.complete(new CompletionGroupCommit.Completion(trigger, jobDetail, instruction));
  }

  /**
   * Stores {@code next} in the transaction that completes the failed attempt {@code fireInstanceId}
   * ({@link RetryListener} decides before Quartz completes it). Committed apart, a node dying between
   * the two left a recoverable job both re-run by recovery and retried.
   */
  public void retryWithCompletion(String fireInstanceId, OperableTrigger next) {
    retries.put(fireInstanceId, next);
  }

  private void completeWithRetry(Connection conn, OperableTrigger trigger, JobDetail job,
      CompletedExecutionInstruction instruction, OperableTrigger retry) throws JobPersistenceException {
    if (!ownsFiredEntry(conn, trigger)) {
      FiredEntries.logLateCompletion(getInstanceId(), trigger, job);
      log.warn("Node {}: attempt {} of {} not stored: the cluster took the failed attempt back",
          getInstanceId(), retry.getKey(), job.getKey());
      return;
    }
    try {
      if (!getDelegate().jobExists(conn, job.getKey())) {
        log.warn("Node {}: job {} was deleted while it ran; its retry {} is dropped", getInstanceId(), job.getKey(), retry.getKey());
      } else if (!getDelegate().triggerExists(conn, retry.getKey())) {
        // Stored before the completion: a one-shot's non-durable job outlives its finished trigger.
        storeTrigger(conn, retry, job, false, STATE_WAITING, false, false);
        signalSchedulingChangeOnTxCompletion(retry.getNextFireTime().getTime());
      }
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not store retry " + retry.getKey() + ": " + e, e);
    }
    super.triggeredJobComplete(conn, trigger, job, instruction);
  }

  /**
   * Quartz declares a node dead 7.5 s after its check-in is due, whatever the interval. Baton uses a
   * configurable grace. Like Quartz, a node that was itself stalled since its last check-in extends
   * the allowance by its own stall (measured on the monotonic clock), so a paused observer does not
   * condemn healthy peers. Check-ins are written in database time (see {@link #checkIn}); Quartz's
   * {@code findFailedInstances} compares the result with this node's wall clock, so it is
   * translated to it.
   */
  @Override
  protected long calcFailedIfAfter(SchedulerStateRecord rec) {
    return clockTranslation.failedIfAfter(rec, failureGraceMillis);
  }

  public void addNodeDeathListener(NodeDeathListener listener) {
    deathListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Quartz calls this under its locks when it finds nodes dead (their check-in overdue), and
   * recovers their work in the same transaction; the listeners' writes join that transaction.
   */
  @Override
  protected void clusterRecover(Connection conn, List<SchedulerStateRecord> failedInstances)
      throws JobPersistenceException {
    super.clusterRecover(conn, failedInstances);
    if (failedInstances.isEmpty() || deathListeners.isEmpty()) return;
    List<String> dead = new ArrayList<>();
    for (SchedulerStateRecord rec : failedInstances) dead.add(rec.getSchedulerInstanceId());
    for (NodeDeathListener listener : deathListeners) {
      Savepoint before = null;
      try {
        before = conn.setSavepoint();
        listener.nodesDeclaredDead(conn, dead);
        conn.releaseSavepoint(before);
      } catch (SQLException | RuntimeException e) {
        // The recovery of the dead nodes' work matters more than what a listener records.
        log.error("Node {}: listener {} failed on nodes declared dead {}; recovery goes on",
            getInstanceId(), listener, dead, e);
        try {
          if (before != null) conn.rollback(before);
        } catch (SQLException rollback) {
          throw new JobPersistenceException("Could not roll back listener " + listener, rollback);
        }
      }
    }
  }

  /**
   * Claims due fast-lane triggers without the cluster lock (see {@link FastLane}) and takes the
   * lock only when other due triggers remain to be acquired and workers to run them; with the fast
   * lane off, Quartz's acquisition under the lock. Bounds in database time: called by {@link
   * #acquireNextTriggers}, which translates the scheduler thread's.
   */
  private List<OperableTrigger> acquireOnDatabaseClock(long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    if (!fastLane.isOn()) {
      int room = Math.min(maxCount, workers.awaitFreeWorker(MAX_WORKER_WAIT_MILLIS));
      return room <= 0 ? List.of() : super.acquireNextTriggers(noLaterThan, room, timeWindow);
    }
    List<OperableTrigger> slow = List.of();
    if (slowLaneTurn.take()) {
      // Behind a backlog of fast-lane firings, due triggers outside the lane go first now and then.
      try {
        slow = acquireSlowLane(noLaterThan, 0, maxCount, timeWindow);
      } catch (JobPersistenceException e) {
        log.warn("Node {}: could not acquire triggers under the cluster lock; claiming the fast lane's",
            getInstanceId(), e);
      }
      if (slow.size() >= maxCount) return slow;
    }
    int fastMax = maxCount - slow.size();
    FastLane.Claim claim = executeInNonManagedTXLock(
        null, conn -> fastLane.claim(conn, noLaterThan, fastMax, timeWindow),
        (conn, c) -> anyStillAcquired(conn, c.triggers()));
    fastLane.claimed(claim);
    List<OperableTrigger> claimed = claim.triggers();
    if (!slow.isEmpty()) return concat(slow, claimed);
    // Triggers outside the fast lane cannot be handed back (see WorkerPool): take only as many as
    // there are workers left free by the claimed ones, which are dispatched first, so none queues.
    int room = Math.min(maxCount, workers.freeWorkers()) - claimed.size();
    if (room <= 0 && !claimed.isEmpty()) {
      slowLaneTurn.skipped();
      return claimed;
    }
    slowLaneTurn.looked();
    try {
      return concat(claimed, acquireSlowLane(noLaterThan, room, maxCount, timeWindow));
    } catch (JobPersistenceException e) {
      if (claimed.isEmpty()) throw e;
      log.warn("Node {}: could not acquire triggers under the cluster lock; firing the {} claimed",
          getInstanceId(), claimed.size(), e);
      return claimed;
    }
  }

  /**
   * Due triggers outside the fast lane, acquired under the cluster lock for {@code room} workers
   * (for those free now, waiting for one if none is, when {@code room} is not positive); empty
   * without taking the lock when none is due.
   */
  private List<OperableTrigger> acquireSlowLane(long noLaterThan, int room, int maxCount, long timeWindow)
      throws JobPersistenceException {
    if (!executeWithoutLock(conn -> fastLane.slowWorkDue(conn, noLaterThan + timeWindow))) return List.of();
    if (room <= 0) room = Math.min(maxCount, workers.awaitFreeWorker(MAX_WORKER_WAIT_MILLIS));
    return room <= 0 ? List.of() : super.acquireNextTriggers(noLaterThan, room, timeWindow);
  }

  private static List<OperableTrigger> concat(List<OperableTrigger> first, List<OperableTrigger> then) {
    if (then.isEmpty()) return first;
    List<OperableTrigger> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  /** Quartz's check after a claiming commit that failed: did it happen after all? */
  private boolean anyStillAcquired(Connection conn, List<OperableTrigger> result) throws JobPersistenceException {
    List<String> ids = new ArrayList<>(result.size());
    for (OperableTrigger t : result) ids.add(t.getFireInstanceId());
    return anyOwnEntry(conn, ids, null);
  }

  private boolean anyOwnEntry(Connection conn, List<String> fireInstanceIds, String state)
      throws JobPersistenceException {
    try {
      return FiredEntries.anyOwn(context, conn, fireInstanceIds, state);
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not check whether a commit happened: " + e, e);
    }
  }

  /**
   * Quartz's acquisition under the lock, a batch of triggers in a few statements (see {@link
   * TriggerBatches}); with the fast lane on, only triggers outside it.
   */
  @Override
  protected List<OperableTrigger> acquireNextTrigger(
      Connection conn, long noLaterThan, int maxCount, long timeWindow) throws JobPersistenceException {
    CapabilityAwareDelegate.Lane lane =
        fastLane.isOn() ? CapabilityAwareDelegate.Lane.SLOW : CapabilityAwareDelegate.Lane.ANY;
    // The rows are locked as they are read: a node whose fast lane is already on may be claiming
    // some of them (the lane turns on node by node, within a check-in interval).
    return batches.acquire(conn, noLaterThan, maxCount, timeWindow, lane, sql.waitingLockT);
  }

  /** Releases a fast-lane claim without the cluster lock, anything else as Quartz does. */
  @Override
  public void releaseAcquiredTrigger(OperableTrigger trigger) {
    TriggerFiredResult fired = fastLane.takeFired(trigger);
    if (fired != null) {
      // Fired when it was claimed, and yet not run: put back, neither lost nor run twice.
      fastLane.forget(trigger);
      retryExecuteInNonManagedTXLock(null, conn -> {
        fastLane.restore(conn, List.of(fired));
        return null;
      });
      return;
    }
    if (!fastLane.forget(trigger)) {
      super.releaseAcquiredTrigger(trigger);
      return;
    }
    retryExecuteInNonManagedTXLock(null, conn -> {
      fastLane.release(conn, trigger);
      return null;
    });
  }

  /** The node's workers: acquisitions that must not queue take only as many as are free. */
  public void workers(WorkerPool workers) {
    this.workers = workers;
  }

  /**
   * The way back for firings a node claimed ahead and queued ({@link WorkerPool}): an ordinary
   * firing, while the fast lane is on, is undone if its trigger is still as the firing left it
   * ({@link FastLane#undo}).
   */
  public WorkerPool.HandBack handBack() {
    return new WorkerPool.HandBack() {
      @Override
      public boolean canHandBack(TriggerFiredBundle firing) {
        return fastLane.isOn() && FastLane.undoable(firing);
      }

      @Override
      public boolean handBack(TriggerFiredBundle firing) throws JobPersistenceException {
        // A commit that failed happened after all if the execution entry is gone; else it runs here.
        String id = firing.getTrigger().getFireInstanceId();
        return executeInNonManagedTXLock(null, conn -> fastLane.undo(conn, firing),
            (conn, undone) -> !anyOwnEntry(conn, List.of(id), null));
      }
    };
  }

  /** Quartz's check-in; then whether the fast lane may be on (every live node speaks it). */
  @Override
  protected List<SchedulerStateRecord> clusterCheckIn(Connection conn) throws JobPersistenceException {
    List<SchedulerStateRecord> records = checkIn(conn);
    try {
      fastLane.refresh(conn);
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not read which nodes speak the fast lane: " + e, e);
    }
    return records;
  }

  /** A compare-and-set per state ({@link PausedTriggers#pause}). */
  @Override
  public void pauseTrigger(Connection conn, TriggerKey triggerKey) throws JobPersistenceException {
    paused.pause(conn, triggerKey);
  }

  /** Resumes a trigger only if it is paused, its row locked first ({@link PausedTriggers}). */
  @Override
  public void resumeTrigger(Connection conn, TriggerKey key) throws JobPersistenceException {
    if (paused.lockIfPaused(conn, key)) super.resumeTrigger(conn, key);
  }

  /** Replaces a trigger keeping it paused if it was ({@link PausedTriggers#keepPaused}). */
  @Override
  protected boolean replaceTrigger(Connection conn, TriggerKey key, OperableTrigger newTrigger)
      throws JobPersistenceException {
    boolean wasPaused = paused.isPaused(conn, key);
    boolean replaced = super.replaceTrigger(conn, key, newTrigger);
    if (wasPaused) paused.keepPaused(conn, key, newTrigger.getKey());
    return replaced;
  }

  /** Quartz's connection, at the isolation level the dialect needs ({@link SchedulerSql}). */
  @Override
  protected Connection getNonManagedTXConnection() throws JobPersistenceException {
    Connection conn = super.getNonManagedTXConnection();
    if (sql.isolation() != SchedulerSql.DEFAULT_ISOLATION) {
      try {
        conn.setTransactionIsolation(sql.isolation());
      } catch (SQLException e) {
        cleanupConnection(conn);
        throw new JobPersistenceException(
            "Could not set isolation " + sql.isolation() + " on a scheduler connection: " + e, e);
      }
    }
    return conn;
  }

  /**
   * Fires acquired triggers: fast-lane claims without the cluster lock ({@link #fireClaimed}), the
   * rest a batch at a time under {@code TRIGGER_ACCESS} ({@link TriggerBatches#fire}); like Quartz,
   * a commit that failed is checked for having happened by looking for this node's executing
   * entries. Trigger times in database time: called by {@link #triggersFired}.
   */
  private List<TriggerFiredResult> fireOnDatabaseClock(List<OperableTrigger> triggers) throws JobPersistenceException {
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
  private List<TriggerFiredResult> fireClaimed(List<OperableTrigger> claimed) throws JobPersistenceException {
    List<TriggerFiredResult> results = new ArrayList<>(claimed.size());
    List<OperableTrigger> toFire = new ArrayList<>();
    for (OperableTrigger t : claimed) {
      TriggerFiredResult fired = fastLane.takeFired(t);
      results.add(fired);
      if (fired == null) toFire.add(t);
    }
    if (!toFire.isEmpty()) {
      List<TriggerFiredResult> now =
          executeInNonManagedTXLock(null, conn -> fastLane.fire(conn, toFire), this::anyExecuting);
      for (int i = 0, j = 0; i < results.size(); i++) if (results.get(i) == null) results.set(i, now.get(j++));
    }
    for (int i = 0; i < claimed.size(); i++) {
      // The rest stay claims until Quartz releases them.
      if (results.get(i).getTriggerFiredBundle() != null) fastLane.forget(claimed.get(i));
    }
    return results;
  }

  private List<TriggerFiredResult> fireAcquired(List<OperableTrigger> triggers) throws JobPersistenceException {
    return executeInNonManagedTXLock(
        LOCK_TRIGGER_ACCESS,
        conn -> batches.fire(conn, triggers, this::fireOne),
        this::anyExecuting);
  }

  /** Quartz's check after a commit that failed: were the triggers fired after all? */
  private boolean anyExecuting(Connection conn, List<TriggerFiredResult> results) throws JobPersistenceException {
    List<String> ids = new ArrayList<>(results.size());
    for (TriggerFiredResult r : results) {
      TriggerFiredBundle b = r.getTriggerFiredBundle();
      if (b != null) ids.add(b.getTrigger().getFireInstanceId());
    }
    return anyOwnEntry(conn, ids, STATE_EXECUTING);
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
  @Override
  protected TriggerFiredBundle triggerFired(Connection conn, OperableTrigger trigger)
      throws JobPersistenceException {
    if (!ownsFiredEntry(conn, trigger)) {
      FiredEntries.logTakenBack(getInstanceId(), trigger);
      return null;
    }
    return fireOwned(conn, trigger);
  }

  /** Quartz's firing of a trigger whose acquisition is known to be this node's, limits applied. */
  private TriggerFiredBundle fireOwned(Connection conn, OperableTrigger trigger) throws JobPersistenceException {
    TriggerFiredBundle fired = super.triggerFired(conn, trigger);
    if (fired != null && nonConcurrency.fired(conn, fired.getJobDetail())) {
      signalSchedulingChangeOnTxCompletion(0L);
    }
    return fired;
  }

  /**
   * Releases an acquired trigger that was not fired, only if the acquisition is still this node's
   * (see {@link #triggerFired}). Stock Quartz also sets the trigger from {@code BLOCKED} to {@code
   * WAITING} unconditionally; but a trigger is released exactly when {@code triggerFired} found it
   * blocked by a running execution of its non-concurrent job (e.g. a recovery re-run another node
   * just started), and unblocking it then let this node acquire and fire it at once, overlapping that
   * execution (found by the fault suite's kill scenario). It is unblocked only if no execution of
   * its job is running.
   */
  @Override
  protected void releaseAcquiredTrigger(Connection conn, OperableTrigger trigger)
      throws JobPersistenceException {
    if (!ownsFiredEntry(conn, trigger)) return;
    try {
      fastLane.releaseClaim(conn, trigger);
      nonConcurrency.released(conn, trigger.getKey(), trigger.getJobKey());
      getDelegate().deleteFiredTrigger(conn, trigger.getFireInstanceId());
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't release acquired trigger " + trigger.getKey() + ": " + e, e);
    }
  }

  /**
   * Completes an execution only if the cluster has not taken it back. A node declared dead while
   * paused finishes its stale execution when it wakes; stock Quartz then set the job's triggers from
   * {@code BLOCKED} to {@code WAITING} although the recovered execution or a later firing was
   * running elsewhere, so a non-concurrent job started a second, overlapping execution. The trigger
   * states now belong to the node that owns them.
   */
  @Override
  protected void triggeredJobComplete(Connection conn, OperableTrigger trigger, JobDetail job,
      CompletedExecutionInstruction instruction) throws JobPersistenceException {
    if (!ownsFiredEntry(conn, trigger)) {
      FiredEntries.logLateCompletion(getInstanceId(), trigger, job);
      return;
    }
    super.triggeredJobComplete(conn, trigger, job, instruction);
  }

  /**
   * Quartz stores, replaces and resumes a trigger as BLOCKED while a non-concurrent execution of its
   * job runs. A job with a concurrency limit is non-concurrent to Quartz; below its limit its
   * trigger stays free to fire, or a run requested beside a running execution would wait for it.
   */
  @Override
  protected String checkBlockedState(Connection conn, JobKey jobKey, String currentState)
      throws JobPersistenceException {
    String state = super.checkBlockedState(conn, jobKey, currentState);
    if (state.equals(currentState)) return state;
    JobDetail job;
    try {
      job = retrieveJob(conn, jobKey);
    } catch (JobPersistenceException e) {
      return state; // unreadable job data (a stock Quartz's serialized map): no limit to honour
    }
    return nonConcurrency.stored(conn, job, currentState, state);
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

  private boolean ownsFiredEntry(Connection conn, OperableTrigger trigger) throws JobPersistenceException {
    try {
      return FiredEntries.owns(context, conn, trigger.getFireInstanceId());
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not read fired-trigger entry " + trigger.getFireInstanceId() + ": " + e, e);
    }
  }

  /**
   * Puts every trigger in ERROR back in service ({@link ErroredTriggers}) under {@code
   * TRIGGER_ACCESS}, and wakes the scheduler for them.
   *
   * @return the keys of the triggers reset
   */
  public List<TriggerKey> resetErroredTriggers() throws JobPersistenceException {
    return inTriggerLock(
        conn -> {
          try {
            List<TriggerKey> keys = errored.reset(conn);
            if (!keys.isEmpty()) signalSchedulingChangeOnTxCompletion(0L);
            return keys;
          } catch (SQLException e) {
            throw new JobPersistenceException("Could not reset triggers in ERROR: " + e, e);
          }
        });
  }

  @SuppressWarnings("unchecked")
  private <T> T inTriggerLock(Callback<T> callback) throws JobPersistenceException {
    return (T) executeInLock(LOCK_TRIGGER_ACCESS, callback::execute);
  }

  /**
   * Quartz's check-in, with the database's clock read first and the check-in time written in
   * database time, so that nodes judge each other on one clock; a wall-clock step since the last
   * check-in wakes the scheduler thread ({@link ClockTranslation#stepped}).
   */
  private List<SchedulerStateRecord> checkIn(Connection conn) throws JobPersistenceException {
    clockTranslation.measure(conn);
    List<SchedulerStateRecord> failed = findFailedInstances(conn);
    try {
      lastCheckin = System.currentTimeMillis();
      long at = clockTranslation.checkedIn();
      if (getDelegate().updateSchedulerState(conn, getInstanceId(), at) == 0) {
        getDelegate().insertSchedulerState(conn, getInstanceId(), at, getClusterCheckinInterval());
      }
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Failure updating scheduler state when checking-in: " + e.getMessage(), e);
    }
    if (clockTranslation.stepped()) signalSchedulingChangeImmediately(0L);
    return failed;
  }

  /** Misfires are judged on the database's clock, against the fire times it stores. */
  @Override
  protected long getMisfireTime() {
    return context.misfireTime();
  }

  /** Quartz's scheduler thread compares the times it is signalled with its wall clock. */
  @Override
  protected void signalSchedulingChangeImmediately(long candidateNewNextFireTime) {
    super.signalSchedulingChangeImmediately(clockTranslation.toLocal(candidateNewNextFireTime));
  }

  /** The scheduler thread's bounds and times translated ({@link ClockTranslation#acquire}). */
  @Override
  public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    return clockTranslation.acquire(
        noLaterThan, maxCount, timeWindow, this::acquireOnDatabaseClock);
  }

  /** Fired on database time, never early by it ({@link ClockTranslation#fire}). */
  @Override
  public List<TriggerFiredResult> triggersFired(List<OperableTrigger> triggers)
      throws JobPersistenceException {
    return clockTranslation.fire(triggers, this::fireOnDatabaseClock);
  }

  /** A typed view of Quartz's raw {@code TransactionCallback}. */
  @FunctionalInterface
  private interface Callback<T> {
    T execute(Connection conn) throws JobPersistenceException;
  }

  /**
   * Registers tasks set-based ({@link TaskRegistration}), a chunk per transaction under {@code
   * TRIGGER_ACCESS}; once a chunk commits, the scheduler is woken for its earliest fire time.
   *
   * @return what happened to each task, by name
   */
  Map<String, Registration> registerAll(List<TaskRegistration.Item> items)
      throws JobPersistenceException {
    TaskRegistration registration = new TaskRegistration(context, nonConcurrency);
    return TaskRegistration.inChunks(items, chunk -> inTriggerLock(conn -> {
      TaskRegistration.Outcome out = registration.write(conn, chunk);
      if (out.earliestFire() != null) signalSchedulingChangeOnTxCompletion(out.earliestFire());
      return out.results();
    }));
  }

  /** The fast lane, for tests that drive a node's acquisition by hand. */
  public FastLane fastLane() {
    return fastLane;
  }
}
