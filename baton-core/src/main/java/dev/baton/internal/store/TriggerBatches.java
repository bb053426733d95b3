package dev.baton.internal.store;

import static org.quartz.impl.jdbcjobstore.Constants.STATE_ACQUIRED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_COMPLETE;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_ERROR;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_EXECUTING;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_WAITING;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerKey;
import org.quartz.impl.triggers.CronTriggerImpl;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's acquire, fire and complete steps for a whole batch of triggers at once. Quartz runs five
 * to eight statements per trigger in each step, one round trip each, while it holds the
 * cluster-wide {@code TRIGGER_ACCESS} lock; those round trips were what capped a cluster's firing
 * rate. Here each step reads what it needs for the batch in one or two statements and writes it in
 * JDBC batches, so a step costs about the same for ten triggers as for one. Every call runs inside
 * the caller's transaction, under {@code TRIGGER_ACCESS}. Completions are written by {@link
 * CompletionBatches}.
 *
 * <p>The batched path covers the common case: simple and cron triggers without a calendar, of jobs
 * that allow concurrent execution and do not persist job data. Everything else (blocking the
 * triggers of a non-concurrent job, calendars, other trigger types) takes Quartz's own per-trigger
 * path, in the same transaction, with Baton's checks.
 *
 * <p>Longer than most: the three batched steps (choose, fire, release) and their fallbacks to
 * Quartz's own path belong together, as each step must leave the batch as the next expects it.
 */
final class TriggerBatches {
  private static final Logger log = LoggerFactory.getLogger(TriggerBatches.class);

  private final StoreContext ctx;

  TriggerBatches(StoreContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Quartz's {@code acquireNextTrigger}: up to {@code maxCount} due triggers in fire-time order, at
   * most one per non-concurrent job, within {@code timeWindow} of the first, set to ACQUIRED with a
   * fired-trigger entry each. A trigger whose or whose job's data is a serialized Java object is
   * never chosen (see {@link CapabilityAwareDelegate}); one whose job cannot be read for another
   * reason is acquired and set to ERROR when it is fired, as Quartz's firing does.
   */
  List<OperableTrigger> acquire(
      Connection conn,
      long noLaterThan,
      int maxCount,
      long timeWindow,
      CapabilityAwareDelegate.Lane lane,
      String lockClause)
      throws JobPersistenceException {
    List<OperableTrigger> chosen =
        choose(conn, noLaterThan, maxCount, timeWindow, lane, lockClause);
    markAcquired(conn, chosen);
    return chosen;
  }

  /**
   * The triggers an acquisition takes, each given its fire instance id, nothing written yet (see
   * {@link #markAcquired} and {@link #fireChosen}).
   */
  List<OperableTrigger> choose(
      Connection conn,
      long noLaterThan,
      int maxCount,
      long timeWindow,
      CapabilityAwareDelegate.Lane lane,
      String lockClause)
      throws JobPersistenceException {
    if (timeWindow < 0) throw new IllegalArgumentException("timeWindow < 0: " + timeWindow);
    try {
      // One look: Quartz looked again when a page yielded nothing, because its per-trigger updates
      // could lose races outside the lock; under the lock the same page would come back.
      List<CapabilityAwareDelegate.Candidate> candidates =
          ctx.delegate()
              .selectCandidates(
                  conn, noLaterThan + timeWindow, ctx.misfireTime(), maxCount, lane, lockClause);
      List<OperableTrigger> acquired = new ArrayList<>();
      Set<JobKey> nonConcurrent = new HashSet<>();
      long batchEnd = noLaterThan;
      for (CapabilityAwareDelegate.Candidate c : candidates) {
        OperableTrigger trigger = c.trigger();
        if (!NonConcurrency.mayTake(nonConcurrent, c.nonConcurrent(), trigger.getJobKey()))
          continue;
        Date next = trigger.getNextFireTime();
        if (next == null) {
          log.warn("Trigger {} has no next fire time and yet is still stored", trigger.getKey());
          continue;
        }
        if (next.getTime() > batchEnd) break;
        if (acquired.isEmpty()) batchEnd = Math.max(next.getTime(), ctx.dbNow()) + timeWindow;
        trigger.setFireInstanceId(ctx.newFireInstanceId());
        acquired.add(trigger);
      }
      return acquired;
    } catch (SQLException | IOException e) {
      throw new JobPersistenceException("Couldn't acquire next triggers: " + e.getMessage(), e);
    }
  }

  /**
   * Sets chosen triggers ACQUIRED under their claims, with an ACQUIRED fired-trigger entry each.
   */
  void markAcquired(Connection conn, List<OperableTrigger> triggers)
      throws JobPersistenceException {
    if (triggers.isEmpty()) return;
    try {
      setAcquired(conn, triggers);
      insertFired(conn, triggers);
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't acquire triggers: " + e.getMessage(), e);
    }
  }

  private void setAcquired(Connection conn, List<OperableTrigger> triggers)
      throws SQLException, JobPersistenceException {
    int updated = 0;
    for (Map.Entry<String, List<OperableTrigger>> group :
        SchedulerSql.byGroup(triggers, t -> t.getKey().getGroup()).entrySet()) {
      List<String> names = new ArrayList<>();
      List<String> claims = new ArrayList<>();
      for (OperableTrigger t : group.getValue()) {
        names.add(t.getKey().getName());
        claims.add(t.getFireInstanceId());
      }
      updated += ctx.sql().markAcquired(conn, ctx.schedulerName(), group.getKey(), names, claims);
    }
    // They were selected WAITING under TRIGGER_ACCESS, which every other state change takes, or
    // locked by the fast lane's own select.
    if (updated != triggers.size()) {
      throw new JobPersistenceException(
          "Acquired "
              + updated
              + " of "
              + triggers.size()
              + " triggers selected as waiting: trigger states changed under the acquisition");
    }
  }

  private void insertFired(Connection conn, List<OperableTrigger> triggers) throws SQLException {
    long now = ctx.dbNow();
    List<Entry> rows = new ArrayList<>(triggers.size());
    for (OperableTrigger t : triggers) {
      rows.add(new Entry(t, t.getNextFireTime().getTime(), STATE_ACQUIRED, null));
    }
    insertEntries(conn, now, rows);
  }

  /** A fired-trigger entry to insert: acquired (no job yet) or executing. */
  private record Entry(OperableTrigger trigger, long scheduledTime, String state, JobDetail job) {}

  /**
   * Inserts entries with multi-row statements ({@link MultiRowInsert}): one statement for a batch,
   * where a JDBC batch still executes a statement per row.
   */
  private void insertEntries(Connection conn, long now, List<Entry> rows) throws SQLException {
    try {
      MultiRowInsert.into(
          conn,
          ctx.sql().insertFiredRows,
          rows,
          e -> 0,
          (p, e) -> {
            OperableTrigger t = e.trigger();
            JobDetail job = e.job();
            p.string(ctx.schedulerName())
                .string(t.getFireInstanceId())
                .string(t.getKey().getName())
                .string(t.getKey().getGroup())
                .string(ctx.nodeId())
                .longValue(now)
                .longValue(e.scheduledTime())
                .string(e.state())
                .string(job == null ? null : t.getJobKey().getName())
                .string(job == null ? null : t.getJobKey().getGroup())
                .bool(job != null && job.isConcurrentExecutionDisallowed())
                .bool(job != null && job.requestsRecovery())
                .intValue(t.getPriority());
          });
    } catch (IOException e) {
      throw new SQLException("Couldn't write execution entries: " + e.getMessage(), e);
    }
  }

  /**
   * Quartz's {@code triggersFired} with Baton's ownership check (see {@link
   * BatonJobStore#triggerFired}): one result per trigger, in order; a null bundle where the trigger
   * is not fired.
   */
  List<TriggerFiredResult> fire(
      Connection conn, List<OperableTrigger> triggers, QuartzFiring quartz)
      throws JobPersistenceException {
    return fire(conn, triggers, null, quartz);
  }

  /**
   * Quartz's own firing of one trigger whose acquisition has just been found to be this node's, in
   * the same transaction, for what the batched way does not cover.
   */
  @FunctionalInterface
  interface QuartzFiring {
    TriggerFiredResult fire(Connection conn, OperableTrigger trigger);
  }

  /**
   * {@link #fire(Connection, List)} without {@code TRIGGER_ACCESS}, for the fast lane: only the
   * triggers whose fire instance ids are in {@code lockedClaims} (their rows locked by the caller,
   * still acquired under that claim) are fired, and only in the batched way; every other result is
   * a null bundle, so that the trigger is released (and a trigger that left the fast lane meanwhile
   * is then acquired under the lock). With {@code lockedClaims} null, the caller holds the lock.
   */
  List<TriggerFiredResult> fire(
      Connection conn, List<OperableTrigger> triggers, Set<String> lockedClaims)
      throws JobPersistenceException {
    return fire(conn, triggers, lockedClaims, null);
  }

  private List<TriggerFiredResult> fire(
      Connection conn,
      List<OperableTrigger> triggers,
      Set<String> lockedClaims,
      QuartzFiring quartz)
      throws JobPersistenceException {
    boolean underLock = lockedClaims == null;
    try {
      List<String> ids = new ArrayList<>(triggers.size());
      for (OperableTrigger t : triggers) ids.add(t.getFireInstanceId());
      Map<String, FiredEntries.Entry> own = FiredEntries.own(ctx, conn, ids);
      Set<JobKey> jobKeys = new HashSet<>();
      for (FiredEntries.Entry e : own.values()) if (e.job() != null) jobKeys.add(e.job());
      Map<JobKey, Exception> unreadable = new HashMap<>();
      Map<JobKey, JobDetail> jobs = ctx.delegate().selectJobs(conn, jobKeys, unreadable);
      Set<JobKey> handedOut = new HashSet<>();

      List<TriggerFiredResult> results = new ArrayList<>(triggers.size());
      Firings firings = new Firings();
      for (OperableTrigger trigger : triggers) {
        FiredEntries.Entry entry = own.get(trigger.getFireInstanceId());
        if (!underLock && !lockedClaims.contains(trigger.getFireInstanceId())) {
          results.add(new TriggerFiredResult((TriggerFiredBundle) null));
          continue;
        }
        if (entry == null) {
          FiredEntries.logTakenBack(ctx.nodeId(), trigger);
          results.add(new TriggerFiredResult((TriggerFiredBundle) null));
          continue;
        }
        // Acquired, and by this acquisition: a trigger replaced or recovered since and acquired
        // again (by anyone) carries another claim (the ABA of Quartz issue 107).
        if (!STATE_ACQUIRED.equals(entry.triggerState())
            || !trigger.getFireInstanceId().equals(entry.claim())) {
          results.add(new TriggerFiredResult((TriggerFiredBundle) null));
          continue;
        }
        JobKey jobKey = entry.job();
        if (jobKey != null && unreadable.containsKey(jobKey)) {
          Exception why = unreadable.get(jobKey);
          log.error(
              "Node {}: cannot read job {}; trigger {} set to ERROR",
              ctx.nodeId(),
              jobKey,
              trigger.getKey(),
              why);
          setError(conn, trigger.getKey());
          results.add(
              new TriggerFiredResult(
                  new JobPersistenceException(
                      "Couldn't read job " + jobKey + ": " + why.getMessage(), why)));
          continue;
        }
        JobDetail job = jobKey == null ? null : jobs.get(jobKey);
        if (job == null) {
          results.add(new TriggerFiredResult((TriggerFiredBundle) null));
          continue;
        }
        // Each execution gets its own copy, as each got its own read from Quartz.
        if (!handedOut.add(jobKey)) job = (JobDetail) job.clone();
        if (!batchable(trigger, job)) {
          results.add(
              underLock
                  ? quartz.fire(conn, trigger)
                  : new TriggerFiredResult((TriggerFiredBundle) null));
          continue;
        }
        results.add(firings.fire(trigger, job, ctx.dbNow()));
      }
      writeFired(conn, firings, false);
      return results;
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't fire triggers: " + e.getMessage(), e);
    }
  }

  private void setError(Connection conn, TriggerKey key) throws JobPersistenceException {
    try {
      ctx.delegate().updateTriggerState(conn, key, STATE_ERROR);
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not set trigger " + key + " to ERROR: " + e, e);
    }
  }

  /**
   * Whether firing this trigger writes its simple-trigger row (the count of firings): not on its
   * last firing — every one-off's — since a trigger that will not fire again is deleted when its
   * execution completes, and its count is never read again.
   */
  static boolean writesCount(OperableTrigger trigger) {
    return trigger instanceof SimpleTriggerImpl s
        && (s.getRepeatCount() == SimpleTrigger.REPEAT_INDEFINITELY
            || s.getTimesTriggered() < s.getRepeatCount());
  }

  /**
   * Whether firing needs nothing beyond advancing the trigger: no blocking, calendar or custom
   * state.
   */
  static boolean batchable(OperableTrigger trigger, JobDetail job) {
    return (trigger instanceof SimpleTriggerImpl || trigger instanceof CronTriggerImpl)
        && trigger.getCalendarName() == null
        && !NonConcurrency.blocksOthers(job)
        && !job.isPersistJobDataAfterExecution();
  }

  /**
   * Fires chosen fast-lane triggers at once, in the choosing transaction, which holds their rows
   * (see {@link FastLane#claim}): one result per trigger that was fired, by fire instance id; the
   * triggers not fired (job gone, unreadable or out of the fast lane meanwhile) are left out, for
   * the caller to acquire as usual.
   */
  Map<String, TriggerFiredResult> fireChosen(Connection conn, List<OperableTrigger> chosen)
      throws JobPersistenceException {
    try {
      Set<JobKey> jobKeys = new HashSet<>();
      for (OperableTrigger t : chosen) jobKeys.add(t.getJobKey());
      Map<JobKey, JobDetail> jobs = ctx.delegate().selectJobs(conn, jobKeys, new HashMap<>());
      Set<JobKey> handedOut = new HashSet<>();
      Map<String, TriggerFiredResult> results = new HashMap<>();
      Firings firings = new Firings();
      for (OperableTrigger trigger : chosen) {
        JobDetail job = jobs.get(trigger.getJobKey());
        if (job == null || !batchable(trigger, job)) continue;
        if (!handedOut.add(trigger.getJobKey())) job = (JobDetail) job.clone();
        results.put(trigger.getFireInstanceId(), firings.fire(trigger, job, ctx.dbNow()));
      }
      writeFired(conn, firings, true);
      return results;
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't fire triggers: " + e.getMessage(), e);
    }
  }

  /** The firings of one batch: each trigger advanced, with the job and time it fired for. */
  private static final class Firings {
    final List<OperableTrigger> triggers = new ArrayList<>();
    final List<JobDetail> jobs = new ArrayList<>();
    final List<Date> scheduled = new ArrayList<>();

    /** Fires {@code trigger} at {@code now} ({@link FiringLead#fireTime}). */
    TriggerFiredResult fire(OperableTrigger trigger, JobDetail job, long now) {
      Date scheduledTime = trigger.getNextFireTime();
      Date previousFireTime = trigger.getPreviousFireTime();
      trigger.triggered(null);
      job.getJobDataMap().clearDirtyFlag();
      triggers.add(trigger);
      jobs.add(job);
      scheduled.add(scheduledTime);
      return new TriggerFiredResult(
          new TriggerFiredBundle(
              job,
              trigger,
              null,
              Scheduler.DEFAULT_RECOVERY_GROUP.equals(trigger.getKey().getGroup()),
              FiringLead.fireTime(now, scheduledTime),
              trigger.getPreviousFireTime(),
              previousFireTime,
              trigger.getNextFireTime()));
    }
  }

  /**
   * Writes a batch's firings: executing entries (updated from the acquired ones, or inserted when
   * {@code newEntries}), the advanced triggers and the simple triggers' counts.
   */
  private void writeFired(Connection conn, Firings firings, boolean newEntries)
      throws SQLException {
    if (firings.triggers.isEmpty()) return;
    List<OperableTrigger> fired = firings.triggers;
    List<JobDetail> jobs = firings.jobs;
    List<Date> scheduled = firings.scheduled;
    long now = ctx.dbNow();
    String sched = ctx.schedulerName();
    SchedulerSql sql = ctx.sql();
    if (newEntries) {
      List<Entry> rows = new ArrayList<>(fired.size());
      for (int i = 0; i < fired.size(); i++) {
        rows.add(new Entry(fired.get(i), scheduled.get(i).getTime(), STATE_EXECUTING, jobs.get(i)));
      }
      insertEntries(conn, now, rows);
    }
    try (PreparedStatement executing =
            newEntries ? null : conn.prepareStatement(sql.markExecuting);
        PreparedStatement advance = conn.prepareStatement(sql.advanceTrigger);
        PreparedStatement counted = conn.prepareStatement(sql.setTimesTriggered)) {
      boolean anySimple = false;
      for (int i = 0; i < fired.size(); i++) {
        OperableTrigger t = fired.get(i);
        JobDetail job = jobs.get(i);
        if (!newEntries) {
          executing.setLong(1, now);
          executing.setLong(2, scheduled.get(i).getTime());
          executing.setString(3, t.getJobKey().getName());
          executing.setString(4, t.getJobKey().getGroup());
          executing.setBoolean(5, job.isConcurrentExecutionDisallowed());
          executing.setBoolean(6, job.requestsRecovery());
          executing.setString(7, sched);
          executing.setString(8, t.getFireInstanceId());
          executing.addBatch();
        }

        // Quartz stores "no time" as -1.
        Date next = t.getNextFireTime();
        Date previous = t.getPreviousFireTime();
        advance.setLong(1, next == null ? -1 : next.getTime());
        advance.setLong(2, previous == null ? -1 : previous.getTime());
        advance.setString(3, next == null ? STATE_COMPLETE : STATE_WAITING);
        advance.setString(4, sched);
        advance.setString(5, t.getKey().getName());
        advance.setString(6, t.getKey().getGroup());
        advance.addBatch();

        if (t instanceof SimpleTriggerImpl simple && next != null) {
          counted.setInt(1, simple.getTimesTriggered());
          counted.setString(2, sched);
          counted.setString(3, t.getKey().getName());
          counted.setString(4, t.getKey().getGroup());
          counted.addBatch();
          anySimple = true;
        }
      }
      if (executing != null) executing.executeBatch();
      advance.executeBatch();
      if (anySimple) counted.executeBatch();
    }
  }
}
