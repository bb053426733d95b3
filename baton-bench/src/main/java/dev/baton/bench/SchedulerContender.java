package dev.baton.bench;

import javax.sql.DataSource;

/** One scheduler library (in one configuration) as the throughput and lateness runs drive it. */
interface SchedulerContender {
  /** A name for the report. */
  String name();

  /** Creates the library's tables in an empty database. */
  void createSchema(DataSource ds) throws Exception;

  /**
   * Stores {@code jobs} one-off no-op jobs {@code 0..jobs-1}, all due now, without running them.
   */
  void scheduleOneOffJobs(DataSource ds, int jobs) throws Exception;

  /**
   * Stores {@code tasks} recurring no-op jobs {@code rec-<i>}, every {@code 1 + i % 5} seconds, for
   * the lateness run: all starting now (aligned, so that up to all of them fall due at one
   * instant), or each at its own phase within its period ({@link QuartzJobs#phaseMillis}).
   */
  default void scheduleRecurring(DataSource ds, int tasks, boolean spread) throws Exception {
    throw new UnsupportedOperationException(name() + " is not in the lateness run");
  }

  /** Starts one node with 10 worker threads on its own pool; closing it stops the node. */
  AutoCloseable startNode(DataSource ds, String nodeId) throws Exception;

  /**
   * Most nodes the throughput run drains with (stock Quartz: 2; at 110 jobs/s more add only time).
   */
  default int maxNodes() {
    return Integer.MAX_VALUE;
  }

  /**
   * Registers {@code tasks} one-off no-op tasks {@code reg-…}, due in a day, through the library's
   * public API as an application does, on the schema {@link #createSchema} made; returns the
   * seconds the API calls took (building the task objects and starting a node are not timed).
   */
  default double registerOneOff(DataSource ds, int tasks) throws Exception {
    throw new UnsupportedOperationException(name() + " is not in the registration run");
  }

  /**
   * Registers {@code batches} batches of {@code size} one-off tasks due in a day, one after the
   * other into the same database; returns each batch's seconds.
   */
  default double[] registerInBatches(DataSource ds, int batches, int size) throws Exception {
    throw new UnsupportedOperationException(name() + " is not in the registration run");
  }

  /** Connections one node's pool needs. */
  default int poolSize() {
    return 16;
  }
}
