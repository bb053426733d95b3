package dev.baton.internal;

import dev.baton.locks.ClusterLock;
import dev.baton.locks.ClusterLocks;
import dev.baton.locks.LeaseRenewal;
import dev.baton.locks.LockInfo;
import dev.baton.locks.LockOptions;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.util.Optional;
import org.quartz.InterruptableJob;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks declared {@link Task.Builder#underLock under a lock}: before the job starts (on its
 * worker thread) it takes the lock without waiting, or vetoes the firing when the lock is busy or
 * cannot be checked; while the job runs it renews the lease; when the job ends (or another listener
 * vetoed it) it releases the lock.
 */
final class LockedTaskListener implements TriggerListener, JobListener {
  private static final Logger log = LoggerFactory.getLogger(LockedTaskListener.class);
  private static final String HANDLE = Task.RESERVED_PREFIX + "lockHandle";
  private static final String RENEWAL = Task.RESERVED_PREFIX + "lockRenewal";

  private final ClusterLocks locks;

  LockedTaskListener(ClusterLocks locks) {
    this.locks = locks;
  }

  @Override
  public String getName() {
    return "baton-task-locks";
  }

  @Override
  public boolean vetoJobExecution(Trigger trigger, JobExecutionContext ctx) {
    JobDataMap data = ctx.getJobDetail().getJobDataMap();
    String name = data.getString(QuartzTasks.LOCK_KEY);
    if (name == null) return false;
    String task = ctx.getJobDetail().getKey().getName();
    try {
      Duration lease =
          Duration.ofMillis(Long.parseLong(data.getString(QuartzTasks.LOCK_LEASE_KEY)));
      Optional<ClusterLock> taken = locks.tryAcquire(name, lease);
      if (taken.isEmpty()) {
        Optional<LockInfo> holder = locks.holder(name);
        String reason =
            holder
                .map(
                    h ->
                        "lock '"
                            + name
                            + "' held by "
                            + h.ownerNode()
                            + " (token "
                            + h.fencingToken()
                            + ")")
                .orElse("lock '" + name + "' was busy");
        ctx.put(Task.VETO_REASON, reason);
        log.info("Skipped firing of task '{}': {}", task, reason);
        return true;
      }
      ClusterLock lock = taken.get();
      ctx.put(Task.FENCING_TOKEN, lock.fencingToken());
      ctx.put(HANDLE, lock);
      ctx.put(
          RENEWAL,
          lock.renewInBackground(
              LockOptions.lease(lease)
                  .onLost(
                      e -> {
                        log.error(
                            "Task '{}' (firing {}) runs on without its lock: {}",
                            task,
                            ctx.getFireInstanceId(),
                            e.getMessage());
                        if (ctx.getJobInstance() instanceof InterruptableJob j) {
                          try {
                            j.interrupt();
                          } catch (Exception ie) {
                            log.warn(
                                "Could not interrupt task '{}' after losing lock '{}'",
                                task,
                                name,
                                ie);
                          }
                        }
                      })));
      return false;
    } catch (RuntimeException e) {
      // Running without the lock is what the task asked never to happen; skip the firing instead.
      String reason = "lock '" + name + "' could not be taken: " + e.getMessage();
      ctx.put(Task.VETO_REASON, reason);
      log.error("Skipped firing of task '{}': {}", task, reason, e);
      return true;
    }
  }

  @Override
  public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException jobException) {
    releaseIfHeld(ctx);
  }

  @Override
  public void jobExecutionVetoed(JobExecutionContext ctx) {
    // Another listener may veto after this one took the lock.
    releaseIfHeld(ctx);
  }

  private void releaseIfHeld(JobExecutionContext ctx) {
    if (!(ctx.get(HANDLE) instanceof ClusterLock lock)) return;
    if (ctx.get(RENEWAL) instanceof LeaseRenewal renewal) renewal.stop();
    try {
      if (!lock.release()) {
        log.warn(
            "Task '{}' finished after losing lock '{}' (token {}); it ran partly unprotected",
            ctx.getJobDetail().getKey().getName(),
            lock.name(),
            lock.fencingToken());
      }
    } catch (RuntimeException e) {
      log.warn(
          "Could not release lock '{}' (token {}) after task '{}'; its lease will run out: {}",
          lock.name(),
          lock.fencingToken(),
          ctx.getJobDetail().getKey().getName(),
          e.toString());
    } finally {
      ctx.put(HANDLE, null);
    }
  }

  @Override
  public void jobToBeExecuted(JobExecutionContext ctx) {}

  @Override
  public void triggerFired(Trigger trigger, JobExecutionContext ctx) {}

  @Override
  public void triggerMisfired(Trigger trigger) {}

  @Override
  public void triggerComplete(
      Trigger trigger, JobExecutionContext ctx, CompletedExecutionInstruction instruction) {}
}
