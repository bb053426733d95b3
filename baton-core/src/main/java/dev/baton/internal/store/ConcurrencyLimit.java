package dev.baton.internal.store;

import dev.baton.scheduling.Task;
import java.util.Map;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobDetail;
import org.quartz.impl.JobDetailImpl;
import org.quartz.utils.ClassUtils;

/**
 * The rule of executions at once: Quartz's non-concurrency ({@code @DisallowConcurrentExecution})
 * and a task's cluster-wide limit ({@code Task.Builder#maxConcurrent}), stored as job data {@value
 * #KEY}.
 *
 * <p>It rides on Quartz's own non-concurrency machinery, which Baton already makes correct under
 * faults: a limited job is stored and read as non-concurrent ({@link LimitedJobDetail}), so it
 * stays in the locked lane, at most one of its triggers is acquired per batch, firing one blocks
 * its other triggers, a completion unblocks them, and the recovery of a dead node's executions
 * frees their slots. What a limit above one adds is {@link NonConcurrency}'s: after a firing, the
 * job's triggers are unblocked at once while fewer than the limit are executing, cluster-wide. This
 * class is the limit as a value: its job-data key, parsing and checks. Nodes of an older version or
 * stock Quartz do not know the limit.
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
    if (limit == null
        || limit < 2
        || jobClass == null
        || !ClassUtils.isAnnotationPresent(jobClass, DisallowConcurrentExecution.class)) {
      return null;
    }
    return "is "
        + limit
        + " but '"
        + jobClass.getName()
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
