package dev.baton.internal.store;

import static org.quartz.impl.jdbcjobstore.Constants.STATE_BLOCKED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED_BLOCKED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_WAITING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;

/**
 * The non-concurrency rule, in one place: a job that is non-concurrent to Quartz ({@code
 * DisallowConcurrentExecution}, or any {@link ConcurrencyLimit}) blocks its other triggers ({@code
 * BLOCKED}, {@code PAUSED_BLOCKED}) while one of its executions runs anywhere in the cluster, and
 * its completion unblocks them; a limit above one unblocks them at once while fewer than the limit
 * run. Quartz's own per-trigger path applies the rule under {@code TRIGGER_ACCESS}, so Baton's
 * batched and fast-lane paths leave such jobs to it ({@link #blocksOthers}); Baton's own writes
 * (registration, release, the limit) ask here. The ERROR reset applies it in SQL ({@link
 * SchedulerSql#resetErrored}).
 */
final class NonConcurrency {
  private final StoreContext ctx;

  NonConcurrency(StoreContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Whether firing or completing {@code job} blocks or unblocks its other triggers, which only
   * Quartz's path under {@code TRIGGER_ACCESS} does.
   */
  static boolean blocksOthers(JobDetail job) {
    return job.isConcurrentExecutionDisallowed();
  }

  /**
   * Whether an acquisition may take a trigger of {@code job}: at most one of a non-concurrent job's
   * triggers per batch, as in Quartz; {@code taken} collects the non-concurrent jobs already taken.
   */
  static boolean mayTake(Set<JobKey> taken, boolean nonConcurrent, JobKey job) {
    return !nonConcurrent || taken.add(job);
  }

  /** The state a trigger in {@code state} is stored in while its non-concurrent job runs. */
  static String blocked(String state) {
    return STATE_PAUSED.equals(state) ? STATE_PAUSED_BLOCKED : STATE_BLOCKED;
  }

  /** Whether a non-concurrent execution of {@code job} is running anywhere in the cluster. */
  boolean running(Connection conn, JobKey job) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().nonConcurrentExecuting)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, job.getName());
      ps.setString(3, job.getGroup());
      ps.setBoolean(4, true);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The names, among the given jobs of {@code group}, of those whose first execution entry is a
   * non-concurrent one (what Quartz's {@code storeTrigger} looks at): their triggers are stored
   * blocked.
   */
  Set<String> running(Connection conn, String group, List<String> names) throws SQLException {
    Set<String> out = new HashSet<>();
    Set<String> seen = new HashSet<>();
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().firedOfJobs(names.size()))) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, group);
      ctx.sql().bindAmong(ps, 3, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          // Quartz looks at the first entry it reads for the job.
          if (seen.add(name) && rs.getBoolean(2)) out.add(name);
        }
      }
    }
    return out;
  }

  /**
   * A released trigger goes from {@code BLOCKED} back to {@code WAITING} only while no execution of
   * its non-concurrent job runs. Stock Quartz unblocks it unconditionally; but a trigger is
   * released exactly when its firing found it blocked by a running execution (e.g. a recovery
   * re-run another node just started), and unblocking it then let this node fire it at once,
   * overlapping that execution (found by the fault suite's kill scenario).
   */
  void released(Connection conn, TriggerKey trigger, JobKey job) throws SQLException {
    if (!running(conn, job)) {
      ctx.delegate().updateTriggerStateFromOtherState(conn, trigger, STATE_WAITING, STATE_BLOCKED);
    }
  }

  /**
   * After Quartz fired {@code job} and blocked its other triggers, as for any non-concurrent job: a
   * job whose limit is above one gets them back at once while fewer than its limit are executing
   * (this firing included). Runs under {@code TRIGGER_ACCESS}, like every firing of such a job, so
   * the count never passes the limit.
   *
   * @return whether triggers were unblocked (the scheduler should look again)
   */
  boolean fired(Connection conn, JobDetail job) throws JobPersistenceException {
    try {
      if (!belowLimit(conn, job)) return false;
      CapabilityAwareDelegate delegate = ctx.delegate();
      delegate.updateTriggerStatesForJobFromOtherState(
          conn, job.getKey(), STATE_WAITING, STATE_BLOCKED);
      delegate.updateTriggerStatesForJobFromOtherState(
          conn, job.getKey(), STATE_PAUSED, STATE_PAUSED_BLOCKED);
      return true;
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Couldn't count executions of " + job.getKey() + ": " + e, e);
    }
  }

  /**
   * The state a trigger of {@code job} is stored, replaced or resumed in, where Quartz chose {@code
   * quartzState} for it (blocked while a non-concurrent execution runs): a job with a limit above
   * one is non-concurrent to Quartz, but below its limit its trigger stays free to fire, or a run
   * requested beside a running execution would wait for it.
   */
  String stored(Connection conn, JobDetail job, String currentState, String quartzState)
      throws JobPersistenceException {
    if (quartzState.equals(currentState) || job == null) return quartzState;
    try {
      return belowLimit(conn, job) ? currentState : quartzState;
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Could not count the executions of " + job.getKey() + ": " + e, e);
    }
  }

  /** Whether {@code job} has a limit above one and fewer than that many executions run. */
  private boolean belowLimit(Connection conn, JobDetail job) throws SQLException {
    Integer limit = ConcurrencyLimit.of(job.getJobDataMap());
    if (limit == null || limit < 2) return false;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().countExecuting)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, job.getKey().getName());
      ps.setString(3, job.getKey().getGroup());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) < limit;
      }
    }
  }
}
