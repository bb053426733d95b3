package dev.baton.internal;

import dev.baton.internal.store.BatonJobStore;
import dev.baton.scheduling.Task;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;

/**
 * Puts each execution's fencing token, taken when it was fired, in its job's context; a task run
 * under a cluster lock carries its lock's token instead ({@link LockedTaskListener} puts it once
 * the lock is taken, none when the lock was busy).
 */
final class ExecutionTokenListener extends TriggerListenerSupport {
  private final BatonJobStore store;

  ExecutionTokenListener(BatonJobStore store) {
    this.store = store;
  }

  @Override
  public String getName() {
    return "baton-execution-tokens";
  }

  @Override
  public void triggerFired(Trigger trigger, JobExecutionContext context) {
    Long token = store.takeExecutionToken(context.getFireInstanceId());
    boolean locked = context.getJobDetail().getJobDataMap().containsKey(QuartzTasks.LOCK_KEY);
    if (token != null && !locked) context.put(Task.FENCING_TOKEN, token);
  }
}
