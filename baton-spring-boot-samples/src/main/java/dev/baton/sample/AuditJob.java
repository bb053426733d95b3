package dev.baton.sample;

import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** A durable job without a trigger, run on demand (e.g. from {@code /actuator/quartz}). */
public class AuditJob extends QuartzJobBean {
  @Autowired private ActivityLog log;

  @Override
  protected void executeInternal(JobExecutionContext context) {
    log.record("audit", context.getFireInstanceId());
  }
}
