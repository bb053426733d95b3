package dev.baton;

import dev.baton.internal.NodeIdentity;
import dev.baton.internal.VirtualThreads;
import dev.baton.scheduling.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Everything a node is configured with; immutable, and validated when created: the constructor
 * refuses the first bad value with an {@link InvalidSettingException} naming it and the fix, so
 * settings that exist are settings that work. Built by {@link BatonBuilder#settings()}.
 *
 * @param dataSource the application's pool; Baton never builds one of its own
 * @param schedulerDataSource the pool Quartz's own threads use: the application's by default, or a
 *     separate small pool on the same database so that Quartz never waits behind a saturated
 *     application pool
 * @param clusterName the Quartz scheduler name; every node of one cluster uses the same
 * @param nodeId unique per process
 * @param tablePrefix prefix of every Quartz and Baton table
 * @param threads worker threads that run jobs
 * @param checkinInterval how often the node tells the cluster it is alive
 * @param failureGrace how long past a missed check-in a node is declared dead and its work
 *     recovered
 * @param misfireThreshold how late a firing may be before its misfire policy applies
 * @param idleWait how long an idle node waits before looking for due triggers again
 * @param batchSize how many due triggers one acquisition may take: up to the free workers, and
 *     while jobs are short up to this many more to queue for them (claiming ahead)
 * @param drainTimeout how long {@link Baton#close()} waits for running executions
 * @param startupTimeout how long start-up waits for the database to become reachable
 * @param pluginDirectory jars of job classes loaded at start; may be null
 * @param tasks registered at every start
 * @param history whether this node records its executions in the history table
 * @param historyRetention how long finished history entries are kept
 * @param historyMaxRows how many finished history entries are kept at most
 * @param virtualThreads whether jobs run on virtual threads (Java 21+) instead of platform threads
 */
public record BatonSettings(
    DataSource dataSource,
    DataSource schedulerDataSource,
    String clusterName,
    String nodeId,
    String tablePrefix,
    int threads,
    Duration checkinInterval,
    Duration failureGrace,
    Duration misfireThreshold,
    Duration idleWait,
    int batchSize,
    Duration drainTimeout,
    Duration startupTimeout,
    Path pluginDirectory,
    List<Task> tasks,
    boolean history,
    Duration historyRetention,
    long historyMaxRows,
    boolean virtualThreads) {
  /** The most due triggers one acquisition may take. */
  public static final int MAX_BATCH_SIZE = 1000;

  /**
   * The default {@code batchSize}: ten per thread, at least 20 and at most 100 (twice the threads
   * past 50). With short jobs a claim's round trips and commit then serve up to 100 firings, and a
   * firing queued behind them waits a few milliseconds for a worker.
   */
  public static int defaultBatchSize(int threads) {
    return Math.max(2 * threads, Math.min(100, Math.max(20, 10 * threads)));
  }

  /** Validates every value; see the class comment. */
  public BatonSettings {
    if (dataSource == null) {
      throw new InvalidSettingException("dataSource", null, "pass the application's DataSource");
    }
    if (schedulerDataSource == null) {
      throw new InvalidSettingException(
          "schedulerDataSource", null, "pass a pool, or the main DataSource to share it");
    }
    if (clusterName == null || clusterName.isBlank() || clusterName.length() > 120) {
      throw new InvalidSettingException(
          "clusterName", clusterName, "give 1 to 120 characters, the same on every node");
    }
    if (!NodeIdentity.validNodeId(nodeId)) {
      throw new InvalidSettingException(
          "nodeId",
          nodeId,
          "use 1 to 100 letters, digits, '.', '_', ':' or '-', unique per process");
    }
    if (!NodeIdentity.validTablePrefix(tablePrefix)) {
      throw new InvalidSettingException(
          "tablePrefix", tablePrefix, "use a letter then up to 19 letters, digits or '_'");
    }
    if (threads < 1 || threads > 1000) {
      throw new InvalidSettingException("threads", threads, "give 1 to 1000");
    }
    atLeast("checkinInterval", checkinInterval, Duration.ofMillis(100));
    atLeast("failureGrace", failureGrace, Duration.ofMillis(100));
    if (failureGrace.compareTo(checkinInterval) < 0) {
      throw new InvalidSettingException(
          "failureGrace",
          failureGrace,
          "must be at least checkinInterval ("
              + checkinInterval
              + "), or healthy nodes are"
              + " declared dead between check-ins");
    }
    atLeast("misfireThreshold", misfireThreshold, Duration.ofSeconds(1));
    atLeast("idleWait", idleWait, Duration.ofMillis(100));
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new InvalidSettingException("batchSize", batchSize, "give 1 to " + MAX_BATCH_SIZE);
    }
    if (drainTimeout == null || drainTimeout.isNegative()) {
      throw new InvalidSettingException("drainTimeout", drainTimeout, "give zero or more");
    }
    atLeast("startupTimeout", startupTimeout, Duration.ofMillis(1));
    // The clean-up runs hourly: a shorter retention would not be kept to anyway.
    atLeast("historyRetention", historyRetention, Duration.ofHours(1));
    if (historyMaxRows < 1 || historyMaxRows > 1_000_000_000L) {
      throw new InvalidSettingException(
          "historyMaxRows", historyMaxRows, "give 1 to 1,000,000,000 (or history(false))");
    }
    if (virtualThreads && !VirtualThreads.available()) {
      throw new InvalidSettingException(
          "virtualThreads",
          true,
          "needs Java 21 or later, and this JVM is Java "
              + Runtime.version().feature()
              + ": run the node on a newer JVM, or leave it off");
    }
    if (tasks == null) throw new InvalidSettingException("tasks", null, "give a list, maybe empty");
    Set<String> names = new HashSet<>();
    for (Task t : tasks) {
      if (!names.add(t.name())) {
        throw new InvalidSettingException("tasks", t.name(), "a task name is given twice");
      }
    }
    tasks = List.copyOf(tasks);
  }

  private static void atLeast(String name, Duration d, Duration min) {
    if (d == null || d.compareTo(min) < 0) {
      throw new InvalidSettingException(name, d, "give at least " + min);
    }
  }
}
