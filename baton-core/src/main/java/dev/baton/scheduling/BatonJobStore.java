package dev.baton.scheduling;

import dev.baton.classloading.SharedClassLoadHelper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.SchedulerConfigException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;

/**
 * Quartz's clustered JDBC store with Baton's additions, each run inside Quartz's own transaction and
 * {@code TRIGGER_ACCESS} row lock so it serialises with every node's acquisition:
 *
 * <ul>
 *   <li>the node's shared class loader for every class Quartz loads;
 *   <li>a configurable failure-detection grace instead of Quartz's hard-coded 7.5 s;
 *   <li>idempotent, in-place task registration;
 *   <li>a set-based reset of triggers in ERROR;
 *   <li>group commit of job completions.
 * </ul>
 */
final class BatonJobStore extends JobStoreTX {
  private final SharedClassLoadHelper classes;
  private final long failureGraceMillis;
  private final CompletionGroupCommit completions =
      new CompletionGroupCommit(
          new CompletionGroupCommit.Writer() {
            @Override
            public void writeAll(List<CompletionGroupCommit.Completion> group)
                throws JobPersistenceException {
              inTriggerLock(
                  conn -> {
                    for (CompletionGroupCommit.Completion c : group) {
                      triggeredJobComplete(conn, c.trigger, c.job, c.instruction);
                    }
                    return null;
                  });
            }

            @Override
            public void writeOne(CompletionGroupCommit.Completion c) {
              BatonJobStore.super.triggeredJobComplete(c.trigger, c.job, c.instruction);
            }
          });

  BatonJobStore(SharedClassLoadHelper classes, long failureGraceMillis) {
    this.classes = classes;
    this.failureGraceMillis = failureGraceMillis;
  }

  @Override
  public void initialize(ClassLoadHelper ignored, SchedulerSignaler signaler)
      throws SchedulerConfigException {
    // Quartz's factory passes its own cascading helper; every node must resolve classes alike.
    super.initialize(classes, signaler);
  }

  /**
   * Completions that arrive together are committed together: one transaction and one {@code
   * TRIGGER_ACCESS} acquisition for the group, Quartz's statements for each (see {@link
   * CompletionGroupCommit}). Returns once this completion is committed, as Quartz's does.
   */
  @Override
  public void triggeredJobComplete(
      OperableTrigger trigger, JobDetail jobDetail, CompletedExecutionInstruction instruction) {
    completions.complete(new CompletionGroupCommit.Completion(trigger, jobDetail, instruction));
  }

  /**
   * Quartz declares a node dead 7.5 s after its check-in is due, whatever the interval. Baton uses a
   * configurable grace. Like Quartz, a node that was itself stalled since its last check-in extends
   * the allowance by its own stall, so a paused observer does not condemn healthy peers.
   */
  @Override
  protected long calcFailedIfAfter(SchedulerStateRecord rec) {
    long ownStall = System.currentTimeMillis() - lastCheckin;
    return rec.getCheckinTimestamp() + Math.max(rec.getCheckinInterval(), ownStall)
        + failureGraceMillis;
  }

  /**
   * Stores a task's job and trigger unless the stored definition is identical. A changed one is
   * updated in place in one transaction, so there is never a moment without a trigger; a paused
   * task stays paused.
   *
   * @param completed whether a missing trigger means the task has already run to completion (a
   *     one-shot whose time has passed), in which case it is not recreated
   */
  Registration register(JobDetail job, OperableTrigger trigger, boolean completed)
      throws JobPersistenceException {
    return inTriggerLock(
        conn -> {
          JobDetail stored = retrieveJob(conn, job.getKey());
          boolean sameJob = stored != null && sameDefinition(stored, job);
          boolean triggerExists = retrieveTrigger(conn, trigger.getKey()) != null;
          if (sameJob && (triggerExists || completed)) return Registration.UNCHANGED;
          storeJob(conn, job, true);
          // A one-shot whose time has passed is created if it is new or its time changed; if only
          // its data changed it has already run and is not run again.
          boolean needsTrigger =
              triggerExists || !completed || stored == null || !sameSchedule(stored, job);
          if (needsTrigger) {
            String state = STATE_WAITING;
            if (triggerExists) {
              String current = triggerState(conn, trigger.getKey());
              if (STATE_PAUSED.equals(current) || STATE_PAUSED_BLOCKED.equals(current)) {
                state = STATE_PAUSED;
              }
            }
            storeTrigger(conn, trigger, job, true, state, false, false);
            signalSchedulingChangeOnTxCompletion(trigger.getNextFireTime().getTime());
          }
          return stored == null ? Registration.CREATED : Registration.UPDATED;
        });
  }

  private static boolean sameSchedule(JobDetail stored, JobDetail wanted) {
    return Objects.equals(
        stored.getJobDataMap().get(QuartzTasks.SCHEDULE_KEY),
        wanted.getJobDataMap().get(QuartzTasks.SCHEDULE_KEY));
  }

  private static boolean sameDefinition(JobDetail stored, JobDetail wanted) {
    String storedClass =
        stored instanceof UnavailableJobDetail u
            ? u.storedClassName()
            : stored.getJobClass().getName();
    return storedClass.equals(wanted.getJobClass().getName())
        && Objects.equals(stored.getDescription(), wanted.getDescription())
        && stored.isDurable() == wanted.isDurable()
        && stored.requestsRecovery() == wanted.requestsRecovery()
        && stored.getJobDataMap().getWrappedMap().equals(wanted.getJobDataMap().getWrappedMap());
  }

  /**
   * Puts every trigger in ERROR back in service in one set-based pass: PAUSED when its group is
   * paused, BLOCKED when its non-concurrent job is executing somewhere, WAITING otherwise.
   *
   * @return the keys of the triggers reset
   */
  List<TriggerKey> resetErroredTriggers() throws JobPersistenceException {
    return inTriggerLock(
        conn -> {
          try {
            List<TriggerKey> keys = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(rtp(SELECT_ERRORED))) {
              ps.setString(1, getInstanceName());
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keys.add(new TriggerKey(rs.getString(1), rs.getString(2)));
              }
            }
            if (keys.isEmpty()) return keys;
            try (PreparedStatement ps = conn.prepareStatement(rtp(RESET_ERRORED))) {
              ps.setBoolean(1, true);
              ps.setString(2, getInstanceName());
              ps.executeUpdate();
            }
            signalSchedulingChangeOnTxCompletion(0L);
            return keys;
          } catch (SQLException e) {
            throw new JobPersistenceException("Could not reset triggers in ERROR: " + e, e);
          }
        });
  }

  private static final String SELECT_ERRORED =
      "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM {0}TRIGGERS WHERE SCHED_NAME = ?"
          + " AND TRIGGER_STATE = 'ERROR' ORDER BY TRIGGER_GROUP, TRIGGER_NAME";

  private static final String RESET_ERRORED =
      "UPDATE {0}TRIGGERS SET TRIGGER_STATE = CASE"
          + " WHEN EXISTS (SELECT 1 FROM {0}PAUSED_TRIGGER_GRPS P WHERE P.SCHED_NAME ="
          + " {0}TRIGGERS.SCHED_NAME AND (P.TRIGGER_GROUP = {0}TRIGGERS.TRIGGER_GROUP"
          + " OR P.TRIGGER_GROUP = '_$_ALL_GROUPS_PAUSED_$_')) THEN 'PAUSED'"
          + " WHEN EXISTS (SELECT 1 FROM {0}FIRED_TRIGGERS F WHERE F.SCHED_NAME ="
          + " {0}TRIGGERS.SCHED_NAME AND F.JOB_NAME = {0}TRIGGERS.JOB_NAME AND F.JOB_GROUP ="
          + " {0}TRIGGERS.JOB_GROUP AND F.IS_NONCONCURRENT = ? AND F.STATE = 'EXECUTING')"
          + " THEN 'BLOCKED' ELSE 'WAITING' END"
          + " WHERE SCHED_NAME = ? AND TRIGGER_STATE = 'ERROR'";

  private String rtp(String sql) {
    return sql.replace("{0}", tablePrefix);
  }

  private String triggerState(Connection conn, TriggerKey key) throws JobPersistenceException {
    try {
      return getDelegate().selectTriggerState(conn, key);
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not read the state of trigger " + key, e);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T inTriggerLock(Callback<T> callback) throws JobPersistenceException {
    return (T) executeInLock(LOCK_TRIGGER_ACCESS, callback::execute);
  }

  /** A typed view of Quartz's raw {@code TransactionCallback}. */
  @FunctionalInterface
  private interface Callback<T> {
    T execute(Connection conn) throws JobPersistenceException;
  }
}
