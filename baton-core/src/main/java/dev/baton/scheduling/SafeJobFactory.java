package dev.baton.scheduling;

import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates job instances with their public no-argument constructor. A job this node cannot load or
 * instantiate becomes a logged no-op ({@link UnavailableJob}) instead of an exception that would
 * send its triggers to ERROR. Capability-aware acquisition makes this rare: it is the last line.
 */
final class SafeJobFactory implements JobFactory {
  private static final Logger log = LoggerFactory.getLogger(SafeJobFactory.class);
  private final String node;

  SafeJobFactory(String node) {
    this.node = node;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) {
    JobDetail detail = bundle.getJobDetail();
    if (detail instanceof UnavailableJobDetail u) {
      return new UnavailableJob(u.storedClassName(), node, "class not found on this node");
    }
    Class<? extends Job> jobClass = detail.getJobClass();
    try {
      return jobClass.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e;
      log.error(
          "Cannot instantiate job class {} for job {} on node {}; the firing is skipped",
          jobClass.getName(),
          detail.getKey(),
          node,
          cause);
      return new UnavailableJob(jobClass.getName(), node, "instantiation failed: " + cause);
    }
  }
}
