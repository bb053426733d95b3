package dev.baton.internal;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for a job class this node cannot load or instantiate. Capability-aware acquisition
 * keeps such firings away from this node, so running one means the class vanished or its
 * constructor failed between selection and execution: the firing is logged as skipped instead of
 * sending the trigger to ERROR.
 */
public final class UnavailableJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(UnavailableJob.class);
  private final String jobClass;
  private final String node;
  private final String reason;

  /** Quartz insists on a public no-argument constructor for classes it stores; never used. */
  public UnavailableJob() {
    this("(unknown)", "(unknown)", "class not available");
  }

  UnavailableJob(String jobClass, String node, String reason) {
    this.jobClass = jobClass;
    this.node = node;
    this.reason = reason;
  }

  @Override
  public void execute(JobExecutionContext context) {
    log.error(
        "Skipped firing of job {} on node {}: job class {} cannot run here ({})",
        context.getJobDetail().getKey(),
        node,
        jobClass,
        reason);
  }

  /** The name of the job class that could not run. */
  public String jobClass() {
    return jobClass;
  }

  /** Why it could not run on this node: class not found, or its constructor failed. */
  public String reason() {
    return reason;
  }

  /** The node it could not run on. */
  public String node() {
    return node;
  }
}
