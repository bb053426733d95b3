package dev.baton.scheduling;

import java.util.Map;
import org.quartz.JobDetail;
import org.quartz.impl.JobDetailImpl;

/**
 * A task's cluster-wide limit on executions running at once ({@code Task.Builder#maxConcurrent}),
 * stored as job data {@value #KEY}.
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
final class ConcurrencyLimit {
  /** Job data: the limit, a whole number of at least 1. */
  static final String KEY = Task.RESERVED_PREFIX + "maxConcurrent";

  private ConcurrencyLimit() {}

  /** The limit in {@code data}; null when none (or unreadable, which is refused when stored). */
  static Integer of(Map<String, ?> data) {
    Object v = data.get(KEY);
    if (v == null) return null;
    try {
      int n = Integer.parseInt(v.toString().trim());
      return n >= 1 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Refuses a malformed limit in {@code data}, naming it; null when it is fine or absent. */
  static String problem(Map<String, ?> data) {
    Object v = data.get(KEY);
    if (v == null || of(data) != null) return null;
    return KEY + " must be a whole number of at least 1; got '" + v + "'";
  }

  /** {@code job} as it must be stored: a {@link LimitedJobDetail} when its data holds a limit. */
  static JobDetail apply(JobDetail job) {
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
