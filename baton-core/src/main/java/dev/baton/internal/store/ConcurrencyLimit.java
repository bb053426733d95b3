package dev.baton.internal.store;

import dev.baton.scheduling.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.impl.JobDetailImpl;
import org.quartz.impl.jdbcjobstore.Constants;
import org.quartz.utils.ClassUtils;

/**
 * The rule of executions at once: Quartz's non-concurrency ({@code @DisallowConcurrentExecution})
 * and a task's cluster-wide limit ({@code Task.Builder#maxConcurrent}), stored as job data {@value
 * #KEY}.
 *
 * <p>It rides on Quartz's own non-concurrency machinery, which Baton already makes correct under
 * faults: a limited job is stored and read as non-concurrent ({@link LimitedJobDetail}), so it stays
 * in the locked lane, at most one of its triggers is acquired per batch, firing one blocks its other
 * triggers, a completion unblocks them, and the recovery of a dead node's executions frees their
 * slots. What a limit above one adds ({@code BatonJobStore#triggerFired}): after a firing, the job's
 * triggers are unblocked at once while fewer than the limit are executing, cluster-wide. Every
 * firing of the job runs under {@code TRIGGER_ACCESS} and counts the executing entries first, so the
 * count can never pass the limit. Nodes of an older version or stock Quartz do not know the limit.
 */
public final class ConcurrencyLimit {
  /** Job data: the limit, a whole number of at least 1. */
  public static final String KEY = Task.RESERVED_PREFIX + "maxConcurrent";

  private ConcurrencyLimit() {}

  /** The limit in {@code data}; null when none (or unreadable, which is refused when stored). */
  public static Integer of(Map<String, ?> data) {
    Object v = data.get(KEY);
    if (v == null) return null;
    try {
      int n = Integer.parseInt(v.toString().trim());
      return n >= 1 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Refuses a limit above one on a {@code @DisallowConcurrentExecution} class, as a phrase that
   * follows the limit's name; null when {@code limit} (null for none) and the class agree.
   */
  public static String contradiction(Integer limit, Class<?> jobClass) {
    if (limit == null || limit < 2 || jobClass == null
        || !ClassUtils.isAnnotationPresent(jobClass, DisallowConcurrentExecution.class)) {
      return null;
    }
    return "is " + limit + " but '" + jobClass.getName()
        + "' is @DisallowConcurrentExecution: never more than one at once; drop one of the two";
  }

  /** Refuses a malformed limit in {@code data}, naming it; null when it is fine or absent. */
  public static String problem(Map<String, ?> data) {
    Object v = data.get(KEY);
    if (v == null || of(data) != null) return null;
    return KEY + " must be a whole number of at least 1; got '" + v + "'";
  }

  /** {@code job} as it must be stored: a {@link LimitedJobDetail} when its data holds a limit. */
  public static JobDetail apply(JobDetail job) {
    if (of(job.getJobDataMap()) == null || job instanceof LimitedJobDetail) return job;
    LimitedJobDetail limited = new LimitedJobDetail();
    limited.setKey(job.getKey());
    limited.setDescription(job.getDescription());
    limited.setJobClass(job.getJobClass());
    limited.setDurability(job.isDurable());
    limited.setRequestsRecovery(job.requestsRecovery());
    limited.setJobDataMap(job.getJobDataMap());
    return limited;
  }

  /** Whether a non-concurrent execution of {@code job} is running anywhere in the cluster. */
  static boolean nonConcurrentExecutionRunning(StoreContext ctx, Connection conn, JobKey job)
      throws SQLException {
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
   * After Quartz fired {@code job} and blocked its other triggers, as for any non-concurrent job: a
   * job whose limit is above one gets them back at once while fewer than its limit are executing
   * (this firing included). Runs under {@code TRIGGER_ACCESS}, like every firing of such a job.
   *
   * @return whether triggers were unblocked (the scheduler should look again)
   */
  static boolean unblockBelowLimit(StoreContext ctx, Connection conn, JobDetail job)
      throws SQLException, JobPersistenceException {
    if (!belowLimit(ctx, conn, job)) return false;
    CapabilityAwareDelegate delegate = ctx.delegate();
    delegate.updateTriggerStatesForJobFromOtherState(
        conn, job.getKey(), Constants.STATE_WAITING, Constants.STATE_BLOCKED);
    delegate.updateTriggerStatesForJobFromOtherState(
        conn, job.getKey(), Constants.STATE_PAUSED, Constants.STATE_PAUSED_BLOCKED);
    return true;
  }

  /** Whether {@code job} has a limit above one and fewer than that many executions run cluster-wide. */
  static boolean belowLimit(StoreContext ctx, Connection conn, JobDetail job) throws SQLException {
    Integer limit = of(job.getJobDataMap());
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

  /** A job with a concurrency limit: non-concurrent to Quartz, whatever its class says. */
  static final class LimitedJobDetail extends JobDetailImpl {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isConcurrentExecutionDisallowed() {
      return true;
    }

    @Override
    public Object clone() {
      return super.clone();
    }
  }
}
