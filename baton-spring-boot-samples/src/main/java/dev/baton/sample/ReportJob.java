package dev.baton.sample;

import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** A {@link QuartzJobBean}: job data arrives through a setter, the service through autowiring. */
public class ReportJob extends QuartzJobBean {
  private ActivityLog log;
  private String format;

  @Autowired
  public void setLog(ActivityLog log) {
    this.log = log;
  }

  /** From the job data map ({@code format}). */
  public void setFormat(String format) {
    this.format = format;
  }

  @Override
  protected void executeInternal(JobExecutionContext context) {
    log.record("report", format);
    log.record("trigger", context.getTrigger().getKey().getName());
  }
}
