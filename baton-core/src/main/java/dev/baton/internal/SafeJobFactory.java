package dev.baton.internal;

import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates job instances with their public no-argument constructor, or with the factory an
 * application installed (Spring's, through {@code Baton.quartz().setJobFactory}). A job this node
 * cannot load or instantiate becomes a logged no-op ({@link UnavailableJob}) instead of an
 * exception that would send all its triggers to ERROR, cluster-wide (Quartz's answer to a failed
 * {@code newJob}). Capability-aware acquisition makes this rare: it is the last line.
 */
final class SafeJobFactory implements JobFactory {
  private static final Logger log = LoggerFactory.getLogger(SafeJobFactory.class);
  private final String node;
  private final JobFactory installed;
  private final WorkerPool pool;
  private final TransactionalJobs transactional;

  /**
   * With {@code installed} null, jobs are built with their public no-argument constructor. The pool
   * is told which firing each job is for (see {@link WorkerPool#announce}).
   */
  SafeJobFactory(
      String node, JobFactory installed, WorkerPool pool, TransactionalJobs transactional) {
    this.node = node;
    this.installed = installed;
    this.pool = pool;
    this.transactional = transactional;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) {
    pool.announce(bundle);
    JobDetail detail = bundle.getJobDetail();
    if (detail instanceof UnavailableJobDetail u) {
      return new UnavailableJob(u.storedClassName(), node, "class not found on this node");
    }
    Class<? extends Job> jobClass = detail.getJobClass();
    try {
      Job job =
          installed != null
              ? installed.newJob(bundle, scheduler)
              : jobClass.getDeclaredConstructor().newInstance();
      return transactional.wrap(jobClass, job);
    } catch (ReflectiveOperationException
        | SchedulerException
        | RuntimeException
        | LinkageError e) {
      Throwable cause =
          e instanceof java.lang.reflect.InvocationTargetException i
              ? i.getCause()
              : e instanceof SchedulerException se && se.getCause() != null ? se.getCause() : e;
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
