package dev.baton.internal;

import dev.baton.internal.store.BatonJobStore;
import dev.baton.scheduling.Task;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;

/**
 * Puts each execution's fencing token, taken when it was fired, in its job's context. First among
 * the trigger listeners: a task run under a cluster lock then has it replaced by the lock's token.
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
    if (token != null) context.put(Task.FENCING_TOKEN, token);
  }
}
