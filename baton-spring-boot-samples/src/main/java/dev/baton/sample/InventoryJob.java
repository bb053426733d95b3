package dev.baton.sample;

import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * A {@link QuartzJobBean} as many Spring users write one: package-private, its service taken by its
 * only (package-private) constructor. Spring builds it with {@code createBean}; no public
 * constructor is needed.
 */
final class InventoryJob extends QuartzJobBean {
  private final ActivityLog log;

  InventoryJob(ActivityLog log) {
    this.log = log;
  }

  @Override
  protected void executeInternal(JobExecutionContext context) {
    log.record("inventory", context.getFireInstanceId());
    log.record("trigger", context.getTrigger().getKey().getName());
  }
}
