package dev.baton.internal;

import dev.baton.BatonException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's draining stop. Quartz's own {@code shutdown(true)} waits without limit and says nothing
 * of what it waits for; this waits up to the drain timeout, then names each execution still running
 * and interrupts the interruptible ones, and lets the node leave the cluster at once only when
 * nothing was left running.
 */
final class Drain {
  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  private final Scheduler quartz;
  private final String nodeId;
  private final Duration drainTimeout;
  private final NodeDirectory nodes;
  private final ClassLoader loader;

  Drain(
      Scheduler quartz,
      String nodeId,
      Duration drainTimeout,
      NodeDirectory nodes,
      ClassLoader loader) {
    this.quartz = quartz;
    this.nodeId = nodeId;
    this.drainTimeout = drainTimeout;
    this.nodes = nodes;
    this.loader = loader;
  }

  /**
   * Drains: stops acquiring, waits up to the drain timeout for running executions, then stops.
   * Executions still running at the deadline are logged and, if they are {@link InterruptableJob}s,
   * interrupted; Quartz finishes shutting down in the background when they end, and keeps checking
   * in meanwhile, so the cluster does not re-run them while they are still running.
   *
   * @return true when every execution finished within the timeout
   */
  boolean run() {
    Thread stopper =
        new Thread(
            () -> {
              try {
                quartz.shutdown(true);
              } catch (SchedulerException e) {
                log.error("Quartz shutdown failed on node {}", nodeId, e);
              }
            },
            "baton-" + nodeId + "-shutdown");
    stopper.setDaemon(true);
    // Quartz reaches the database through the context class loader while it stops (handing back
    // queued firings, the last check-in); whoever calls close() may have none, as a signal
    // handler's thread does.
    stopper.setContextClassLoader(loader);
    stopper.start();
    try {
      stopper.join(Math.max(1, drainTimeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!stopper.isAlive()) {
      forgetNode();
      return true;
    }
    List<JobExecutionContext> still = running();
    log.warn(
        "Node {}: drain timeout of {} ms passed with {} execution(s) still running",
        nodeId,
        drainTimeout.toMillis(),
        still.size());
    for (JobExecutionContext ctx : still) {
      boolean interruptible = ctx.getJobInstance() instanceof InterruptableJob;
      log.warn(
          "Still running at shutdown: job {} (fire {}, started {}){}",
          ctx.getJobDetail().getKey(),
          ctx.getFireInstanceId(),
          ctx.getFireTime().toInstant(),
          interruptible ? ", interrupting it" : ", not interruptible");
      if (interruptible) {
        try {
          quartz.interrupt(ctx.getFireInstanceId());
        } catch (SchedulerException e) {
          log.warn("Could not interrupt {}", ctx.getFireInstanceId(), e);
        }
      }
    }
    return false;
  }

  /** The executions running on this node now. */
  /**
   * After a complete drain the node leaves the cluster at once; see {@link NodeDirectory#leave}.
   */
  private void forgetNode() {
    try {
      nodes.leave();
    } catch (SQLException e) {
      // The survivors' failure detection will clean up instead, as for a crashed node.
      log.warn("Node {} could not remove its rows at shutdown: {}", nodeId, e.toString());
    }
  }

  /** The executions running on this node now. */
  List<JobExecutionContext> running() {
    try {
      return new ArrayList<>(quartz.getCurrentlyExecutingJobs());
    } catch (SchedulerException e) {
      throw new BatonException("Could not list running jobs: " + e.getMessage(), e);
    }
  }
}
