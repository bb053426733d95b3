package dev.baton.scheduling;

import java.sql.Connection;
import java.util.OptionalLong;
import org.quartz.JobExecutionContext;

/**
 * What Baton tells a running job about its execution, read from the job's {@code
 * JobExecutionContext}.
 */
public final class Executions {
  /**
   * Key of the context entry (a {@code Connection}) of an {@link ExactlyOnce} job's transaction.
   */
  public static final String CONNECTION = Task.RESERVED_PREFIX + "connection";

  private Executions() {}

  /**
   * The execution's fencing token. Every execution has one: for a task {@link
   * Task.Builder#underLock run under a cluster lock} it is the lock's token (increasing with each
   * holder of that lock); for every other execution a cluster-wide token, taken when the execution
   * is fired, that increases with every firing in the cluster. A stalled execution the cluster took
   * back therefore has a lower token than its successor. Empty only for a job not run by Baton.
   */
  public static OptionalLong fencingToken(JobExecutionContext context) {
    return context.get(Task.FENCING_TOKEN) instanceof Number n
        ? OptionalLong.of(n.longValue())
        : OptionalLong.empty();
  }

  /**
   * The connection of an {@link ExactlyOnce} job's transaction: what the job writes with it commits
   * with the execution's completion, or not at all. Do not commit, roll back or close it.
   *
   * @throws IllegalStateException when the job's class is not annotated {@link ExactlyOnce}, or the
   *     execution's transaction has ended
   */
  public static Connection connection(JobExecutionContext context) {
    if (context.get(CONNECTION) instanceof Connection c) return c;
    throw new IllegalStateException(
        "Job "
            + context.getJobDetail().getKey()
            + " has no transaction of its own: annotate its class "
            + context.getJobDetail().getJobClass().getName()
            + " with @dev.baton.scheduling.ExactlyOnce, and use the connection only while"
            + " execute() runs");
  }
}
