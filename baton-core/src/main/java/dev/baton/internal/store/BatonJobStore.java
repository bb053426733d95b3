package dev.baton.internal.store;

import dev.baton.internal.NodeDeathListener;
import dev.baton.internal.WorkerPool;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.cron.DstCronTrigger;
import dev.baton.internal.database.DatabaseClock;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.UnknownTaskException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.SchedulerConfigException;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.quartz.impl.triggers.CronTriggerImpl;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;

/**
 * Quartz's clustered JDBC store with Baton's additions, each run inside Quartz's own transaction
 * and {@code TRIGGER_ACCESS} row lock so it serialises with every node's acquisition. The store
 * routes Quartz's calls to the class that owns each mechanism: {@link Acquisition}, {@link Firing},
 * {@link Completion}, {@link Recovery}, {@link NonConcurrency}, {@link ClockTranslation}, {@link
 * PausedTriggers}, {@link TriggerProgress}, {@link ErroredTriggers}, {@link TaskRegistration}. Each
 * is given values ({@link StoreContext}) and, where it runs in Quartz's transactions or calls
 * Quartz's own steps, functional interfaces ({@link QuartzTransaction}), never the store. The store
 * keeps what only a subclass of Quartz's can do: its connections, the node's shared class loader
 * for every class Quartz loads, the check-in, and those transactions and steps. The SQL is {@link
 * SchedulerSql}'s. Its length is Quartz's surface: some twenty-five overrides, each a few lines
 * that route (re-registration's replace roads, the DST check of a stored cron trigger, the
 * exactly-once commit guard and execution tokens among them).
 */
public final class BatonJobStore extends JobStoreTX {
  private final DataSource dataSource;
  private final SharedClassLoadHelper classes;
  private final long failureGraceMillis;
  private final DatabaseClock clock;
  private final SchedulerSql sql;
  private final List<NodeDeathListener> deathListeners = new CopyOnWriteArrayList<>();
  // Built in initialize, once Quartz has named the node and created its delegate.
  private StoreContext context;
  private ExecutionTokens tokens;
  private FastLane fastLane;
  private Acquisition acquisition;
  private Firing firing;
  private Completion completion;
  private Recovery recovery;
  private NonConcurrency nonConcurrency;
  private ErroredTriggers errored;
  private PausedTriggers paused;
  private ClockTranslation clockTranslation;

  public BatonJobStore(
      DataSource dataSource,
      SchedulerSql sql,
      SharedClassLoadHelper classes,
      long failureGraceMillis,
      DatabaseClock clock) {
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
    context =
        new StoreContext(
            sql,
            getInstanceName(),
            getInstanceId(),
            clock,
            delegate,
            getMisfireThreshold(),
            this::getFiredTriggerRecordId);
    TriggerBatches batches = new TriggerBatches(context);
    tokens = new ExecutionTokens(sql);
    FiringLead lead = new FiringLead();
    fastLane = new FastLane(context, batches, tokens, lead);
    nonConcurrency = new NonConcurrency(context);
    errored = new ErroredTriggers(context);
    paused = new PausedTriggers(context);
    clockTranslation = new ClockTranslation(clock, getInstanceId(), lead);
    recovery = new Recovery(getInstanceId(), failureGraceMillis, clockTranslation, deathListeners);
    QuartzTransaction transaction = this::transaction;
    QuartzTransaction.Retried retried = this::retried;
    acquisition =
        new Acquisition(
            context,
            fastLane,
            batches,
            nonConcurrency,
            transaction,
            retried,
            lead,
            super::acquireNextTriggers);
    firing =
        new Firing(
            context,
            fastLane,
            batches,
            nonConcurrency,
            transaction,
            super::triggerFired,
            tokens,
            lead,
            this::signalSchedulingChangeOnTxCompletion);
    completion =
        new Completion(
            context,
            new CompletionBatches(context),
            transaction,
            retried,
            super::triggeredJobComplete,
            (conn, t, job) -> storeTrigger(conn, t, job, false, STATE_WAITING, false, false),
            this::signalSchedulingChangeOnTxCompletion);
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
      throw new JobPersistenceException(
          "Could not get a connection from the node's DataSource: " + e, e);
    }
    try {
      conn.setAutoCommit(false);
      return conn;
    } catch (SQLException e) {
      closeConnection(conn);
      throw new JobPersistenceException(
          "Could not start a transaction on the node's DataSource: " + e, e);
    }
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
   * Hands back firings claimed but never run, then writes the completions still queued (Quartz
   * calls this after the workers have finished).
   */
  @Override
  public void shutdown() {
    acquisition.handBackUnrun();
    completion.close();
    super.shutdown();
  }

  /** The scheduler thread's bounds and times translated ({@link ClockTranslation#acquire}). */
  @Override
  public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    return clockTranslation.acquire(noLaterThan, maxCount, timeWindow, acquisition::acquire);
  }

  /** Quartz's acquisition under the lock ({@link Acquisition#acquireLocked}). */
  @Override
  protected List<OperableTrigger> acquireNextTrigger(
      Connection conn, long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    return acquisition.acquireLocked(conn, noLaterThan, maxCount, timeWindow);
  }

  /** A fast-lane claim without the cluster lock, anything else as Quartz does it. */
  @Override
  public void releaseAcquiredTrigger(OperableTrigger trigger) {
    acquisition.release(trigger);
  }

  /** Only an acquisition still this node's ({@link Acquisition#releaseLocked}). */
  @Override
  protected void releaseAcquiredTrigger(Connection conn, OperableTrigger trigger)
      throws JobPersistenceException {
    acquisition.releaseLocked(conn, trigger);
  }

  /** The node's workers: acquisitions that must not queue take only as many as are free. */
  public void workers(WorkerPool workers) {
    acquisition.workers(workers);
  }

  /** The way back for firings claimed ahead and queued ({@link Acquisition#handBack}). */
  public WorkerPool.HandBack handBack() {
    return acquisition.handBack();
  }

  /**
   * When a firing's job may start: a firing is committed ahead of its time ({@link FiringLead}).
   */
  public WorkerPool.StartTime startTimes() {
    return clockTranslation::nanosUntilStart;
  }

  /** Fired on database time, never early by it ({@link ClockTranslation#fire}, {@link Firing}). */
  @Override
  public List<TriggerFiredResult> triggersFired(List<OperableTrigger> triggers)
      throws JobPersistenceException {
    return clockTranslation.fire(triggers, firing::fire);
  }

  /** Only an acquisition still this node's ({@link Firing#fireIfOwned}). */
  @Override
  protected TriggerFiredBundle triggerFired(Connection conn, OperableTrigger trigger)
      throws JobPersistenceException {
    return firing.fireIfOwned(conn, trigger);
  }

  /** A job's limit keeps its trigger free below it ({@link NonConcurrency#stored}). */
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

  /** Group commit off the worker thread ({@link Completion#complete}). */
  @Override
  public void triggeredJobComplete(
      OperableTrigger trigger, JobDetail jobDetail, CompletedExecutionInstruction instruction) {
    tokens.forget(trigger.getFireInstanceId());
    completion.complete(trigger, jobDetail, instruction);
  }

  /** The fencing token of an execution this node fired, handed out once (see ExecutionTokens). */
  public Long takeExecutionToken(String fireInstanceId) {
    return tokens.take(fireInstanceId);
  }

  /**
   * The commit guard of an {@code ExactlyOnce} job, in its own transaction on {@code conn}: marks
   * the execution done (it no longer requests recovery) if it is still this node's, under the row
   * lock of its fired-trigger entry, which recovery takes too before it decides (see {@link
   * CapabilityAwareDelegate#selectInstancesFiredTriggerRecords}). Exactly one of the two wins: this
   * update, and the job's work commits and is never run again; or recovery, and this finds no entry
   * and returns false, and the caller rolls back.
   */
  public boolean claimExecution(Connection conn, String fireInstanceId) throws SQLException {
    return FiredEntries.claim(context, conn, fireInstanceId);
  }

  /** Only an execution still this node's ({@link Completion#completeIfOwned}). */
  @Override
  protected void triggeredJobComplete(
      Connection conn,
      OperableTrigger trigger,
      JobDetail job,
      CompletedExecutionInstruction instruction)
      throws JobPersistenceException {
    completion.completeIfOwned(conn, trigger, job, instruction);
  }

  /**
   * Stores {@code next} in the transaction that completes the failed attempt {@code fireInstanceId}
   * ({@link Completion#retryWithCompletion}).
   */
  public void retryWithCompletion(String fireInstanceId, OperableTrigger next) {
    completion.retryWithCompletion(fireInstanceId, next);
  }

  /** Quartz's check-in; then whether the fast lane may be on (every live node speaks it). */
  @Override
  protected List<SchedulerStateRecord> clusterCheckIn(Connection conn)
      throws JobPersistenceException {
    List<SchedulerStateRecord> records = checkIn(conn);
    try {
      fastLane.refresh(conn);
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not read which nodes speak the fast lane: " + e, e);
    }
    return records;
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

  /** A configurable failure grace instead of Quartz's 7.5 s ({@link Recovery}). */
  @Override
  protected long calcFailedIfAfter(SchedulerStateRecord rec) {
    return recovery.failedIfAfter(rec);
  }

  /** Quartz recovers the dead nodes' work; the listeners are told in the same transaction. */
  @Override
  protected void clusterRecover(Connection conn, List<SchedulerStateRecord> failedInstances)
      throws JobPersistenceException {
    super.clusterRecover(conn, failedInstances);
    recovery.recovered(conn, failedInstances);
  }

  public void addNodeDeathListener(NodeDeathListener listener) {
    deathListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Misfires are judged on the database's clock, against the fire times it stores. */
  @Override
  protected long getMisfireTime() {
    return context.misfireTime();
  }

  /** Quartz's scheduler thread compares the times it is signalled with the times it was handed. */
  @Override
  protected void signalSchedulingChangeImmediately(long candidateNewNextFireTime) {
    super.signalSchedulingChangeImmediately(clockTranslation.signalled(candidateNewNextFireTime));
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

  /**
   * A cron trigger built through Quartz's API arrives with its first fire time computed by stock
   * Quartz, before the store sees it; it is computed again under the trigger's DST policy, which
   * every later computation follows once the trigger is read back ({@link DstCronPersistence}). A
   * policy that is not one is refused here, naming it, rather than ignored at every firing.
   */
  @Override
  protected void storeTrigger(
      Connection conn,
      OperableTrigger newTrigger,
      JobDetail job,
      boolean replaceExisting,
      String state,
      boolean forceState,
      boolean recovering)
      throws JobPersistenceException {
    if (newTrigger instanceof CronTriggerImpl c) {
      try {
        DstCronTrigger.police(c);
      } catch (IllegalArgumentException e) {
        throw new JobPersistenceException("Trigger " + c.getKey() + ": " + e.getMessage());
      }
    }
    super.storeTrigger(conn, newTrigger, job, replaceExisting, state, forceState, recovering);
  }

  /**
   * Replaces a trigger ({@code rescheduleJob}) keeping the stored one's progress ({@link
   * TriggerProgress}), read under the same lock as the write.
   */
  @Override
  protected boolean replaceTrigger(Connection conn, TriggerKey key, OperableTrigger newTrigger)
      throws JobPersistenceException {
    TriggerProgress progress = TriggerProgress.read(conn, context, key);
    if (progress != null) progress.applyTo(newTrigger);
    boolean replaced = super.replaceTrigger(conn, key, newTrigger);
    if (progress != null && progress.paused()) paused.keepPaused(conn, key, newTrigger.getKey());
    return replaced;
  }

  /** Stores a trigger; one stored over an existing one keeps its progress ({@link #replacing}). */
  @Override
  public void storeTrigger(OperableTrigger newTrigger, boolean replaceExisting)
      throws JobPersistenceException {
    if (!replaceExisting) {
      super.storeTrigger(newTrigger, false);
      return;
    }
    transaction(
        LOCK_TRIGGER_ACCESS,
        (conn, t) -> {
          replacing(conn, t, null);
          return null;
        },
        newTrigger,
        null);
  }

  /**
   * Stores jobs and triggers; with replace, each trigger keeps its progress ({@link #replacing}).
   */
  @Override
  public void storeJobsAndTriggers(
      Map<JobDetail, Set<? extends Trigger>> triggersAndJobs, boolean replace)
      throws JobPersistenceException {
    if (!replace) {
      super.storeJobsAndTriggers(triggersAndJobs, false);
      return;
    }
    transaction(
        LOCK_TRIGGER_ACCESS,
        (conn, all) -> {
          for (Map.Entry<JobDetail, Set<? extends Trigger>> e : all.entrySet()) {
            storeJob(conn, e.getKey(), true);
            for (Trigger t : e.getValue()) replacing(conn, (OperableTrigger) t, e.getKey());
          }
          return null;
        },
        triggersAndJobs,
        null);
  }

  /**
   * Quartz's store of a trigger that may replace a stored one, in the caller's transaction under
   * {@code TRIGGER_ACCESS}: the stored trigger's progress is read locked and kept ({@link
   * TriggerProgress}).
   */
  private void replacing(Connection conn, OperableTrigger trigger, JobDetail job)
      throws JobPersistenceException {
    TriggerProgress progress = TriggerProgress.read(conn, context, trigger.getKey());
    if (progress != null) progress.applyTo(trigger);
    storeTrigger(conn, trigger, job, true, STATE_WAITING, false, false);
    if (progress != null && progress.paused()) {
      paused.keepPaused(conn, trigger.getKey(), trigger.getKey());
    }
  }

  /**
   * Puts every trigger in ERROR back in service ({@link ErroredTriggers}) under {@code
   * TRIGGER_ACCESS}, and wakes the scheduler for them.
   *
   * @return the keys of the triggers reset
   */
  public List<TriggerKey> resetErroredTriggers() throws JobPersistenceException {
    return transaction(
        LOCK_TRIGGER_ACCESS,
        (conn, x) -> {
          try {
            List<TriggerKey> keys = errored.reset(conn);
            if (!keys.isEmpty()) signalSchedulingChangeOnTxCompletion(0L);
            return keys;
          } catch (SQLException e) {
            throw new JobPersistenceException("Could not reset triggers in ERROR: " + e, e);
          }
        },
        null,
        null);
  }

  /**
   * Registers tasks set-based, a chunk per transaction ({@link TaskRegistration#registerAll}).
   *
   * @return what happened to each task, by name
   */
  Map<String, Registration> registerAll(List<TaskRegistration.Item> items)
      throws JobPersistenceException {
    return new TaskRegistration(context, nonConcurrency)
        .registerAll(items, this::transaction, this::signalSchedulingChangeOnTxCompletion);
  }

  /**
   * Stores runs of tasks set-based, a chunk per transaction ({@link RunSubmission#submitAll}).
   *
   * @return what happened to each run, in order
   * @throws UnknownTaskException when a run's task does not exist; nothing is stored then
   */
  public List<Registration> submitRuns(List<OperableTrigger> runs) throws JobPersistenceException {
    return new RunSubmission(context, nonConcurrency)
        .submitAll(runs, this::transaction, this::signalSchedulingChangeOnTxCompletion);
  }

  /** The fast lane, for tests that drive a node's acquisition by hand. */
  public FastLane fastLane() {
    return fastLane;
  }

  private <A, T> T transaction(
      String lock,
      QuartzTransaction.Step<A, T> step,
      A arg,
      QuartzTransaction.Check<A, T> committed)
      throws JobPersistenceException {
    Tx<A, T> tx = new Tx<>(step, arg, committed);
    return executeInNonManagedTXLock(lock, tx, committed == null ? null : tx);
  }

  private <A> void retried(String lock, QuartzTransaction.Step<A, ?> step, A arg) {
    retryExecuteInNonManagedTXLock(lock, new Tx<>(step, arg, null));
  }

  /** A step and its check in Quartz's types, which only a subclass of Quartz's store may name. */
  private record Tx<A, T>(
      QuartzTransaction.Step<A, T> step, A arg, QuartzTransaction.Check<A, T> committed)
      implements TransactionCallback<T>, TransactionValidator<T> {
    @Override
    public T execute(Connection conn) throws JobPersistenceException {
      return step.run(conn, arg);
    }

    @Override
    public Boolean validate(Connection conn, T result) throws JobPersistenceException {
      return committed.happened(conn, arg, result);
    }
  }
}
