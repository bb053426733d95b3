package dev.baton;

import dev.baton.internal.NodeIdentity;
import dev.baton.scheduling.JobTransactions;
import dev.baton.scheduling.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Configures a node. Every setting is validated by {@link #settings()} (and so by {@link
 * #start()}), which fails on the first bad one with a message naming it and the fix.
 */
public final class BatonBuilder {
  private final DataSource dataSource;
  private DataSource schedulerDataSource;
  private String clusterName = "baton";
  private String nodeId;
  private String tablePrefix = "QRTZ_";
  private int threads = 10;
  private Duration checkinInterval = Duration.ofSeconds(1);
  private Duration failureGrace = Duration.ofSeconds(2);
  private Duration misfireThreshold = Duration.ofSeconds(60);
  private Duration idleWait = Duration.ofMillis(500);
  private int batchSize = -1;
  private Duration drainTimeout = Duration.ofSeconds(30);
  private Duration startupTimeout = Duration.ofSeconds(30);
  private Path pluginDirectory;
  private boolean history = true;
  private Duration historyRetention = Duration.ofDays(30);
  private long historyMaxRows = 1_000_000;
  private final List<Task> tasks = new ArrayList<>();
  private org.quartz.spi.JobFactory jobFactory;
  private JobTransactions jobTransactions;
  private boolean virtualThreads;

  BatonBuilder(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * A separate pool for Quartz's own threads, on the same database. Size it for {@code threads + 3}
   * connections (Quartz's part of {@link Baton#connectionsNeeded}). Without it Quartz shares the
   * application's pool, which then needs {@link Baton#connectionsNeeded} on top of its own.
   */
  public BatonBuilder schedulerDataSource(DataSource ds) {
    this.schedulerDataSource = ds;
    return this;
  }

  /** The cluster's name; nodes with the same name and table prefix share their tasks. */
  public BatonBuilder clusterName(String name) {
    this.clusterName = name;
    return this;
  }

  /** This node's id; unique per process. Generated from host, pid and a random part if unset. */
  public BatonBuilder nodeId(String id) {
    this.nodeId = id;
    return this;
  }

  public BatonBuilder tablePrefix(String prefix) {
    this.tablePrefix = prefix;
    return this;
  }

  public BatonBuilder threads(int threads) {
    this.threads = threads;
    return this;
  }

  /** Check-in interval (default 1 s); with {@link #failureGrace} it sets failover time. */
  public BatonBuilder checkinInterval(Duration interval) {
    this.checkinInterval = interval;
    return this;
  }

  /**
   * How long past its check-in interval a silent node is declared dead (default 2 s). Shorter fails
   * over sooner; a node paused longer than this (GC, VM stall) is falsely declared dead and its
   * recoverable executions run again elsewhere.
   */
  public BatonBuilder failureGrace(Duration grace) {
    this.failureGrace = grace;
    return this;
  }

  public BatonBuilder misfireThreshold(Duration threshold) {
    this.misfireThreshold = threshold;
    return this;
  }

  /**
   * How long an idle node waits before looking for due triggers again (default 500 ms): a task
   * registered on another node is seen within it. A look is one indexed query without the cluster
   * lock while the fast lane is on.
   */
  public BatonBuilder idleWait(Duration idleWait) {
    this.idleWait = idleWait;
    return this;
  }

  /**
   * Due triggers taken per acquisition (default: ten per thread, at least 20 and at most 100, or
   * twice the threads past 50; 1 to 1,000). A node takes as many as it has free workers and, while
   * its recent jobs were short, up to this many more to queue for them, so that the next claim
   * overlaps the running batch and each claim's round trips and commit serve more firings; a queued
   * firing that gets no worker within a second goes back to the cluster.
   */
  public BatonBuilder batchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  /** How long close() waits for running executions (default 30 s). */
  public BatonBuilder drainTimeout(Duration timeout) {
    this.drainTimeout = timeout;
    return this;
  }

  /** How long start waits for an unreachable database, retrying with backoff (default 30 s). */
  public BatonBuilder startupTimeout(Duration timeout) {
    this.startupTimeout = timeout;
    return this;
  }

  /** A directory whose jars hold job classes; loaded at start. */
  public BatonBuilder pluginDirectory(Path dir) {
    this.pluginDirectory = dir;
    return this;
  }

  /**
   * Whether this node records its executions in the history (default true). Turning it off only
   * stops this node's recording; queries and the clean-up still work.
   */
  public BatonBuilder history(boolean record) {
    this.history = record;
    return this;
  }

  /** How long finished history entries are kept (default 30 days); same on every node. */
  public BatonBuilder historyRetention(Duration retention) {
    this.historyRetention = retention;
    return this;
  }

  /** How many finished history entries are kept at most (default 1,000,000). */
  public BatonBuilder historyMaxRows(long maxRows) {
    this.historyMaxRows = maxRows;
    return this;
  }

  /**
   * Runs jobs on virtual threads (default false), for jobs that mostly wait on I/O: a worker
   * blocked on a socket then holds no platform thread. {@link #threads} still limits how many jobs
   * run at once, and claiming ahead and the drain are unchanged. Needs Java 21 or later at run time
   * (the library itself stays Java 17 bytecode); on an older JVM the settings are refused. Jobs
   * that hold a monitor ({@code synchronized}) while blocking pin their carrier thread on Java
   * 21-23.
   */
  public BatonBuilder virtualThreads(boolean virtual) {
    this.virtualThreads = virtual;
    return this;
  }

  /** A task registered at every start. */
  public BatonBuilder task(Task task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    return this;
  }

  /**
   * Builds job instances with {@code factory} (Spring's {@code SpringBeanJobFactory}, say) instead
   * of their public no-argument constructor, so that jobs may take their dependencies by injection:
   * job classes with any constructor such a factory can choose (the only one, a no-argument one or
   * one annotated {@code @Autowired}; public or not, as Spring allows) then count as runnable on
   * this node. A job the factory cannot build is a skipped, logged firing, never a trigger in
   * ERROR.
   */
  public BatonBuilder jobFactory(org.quartz.spi.JobFactory factory) {
    this.jobFactory = Objects.requireNonNull(factory, "jobFactory");
    return this;
  }

  /**
   * Runs {@link dev.baton.scheduling.ExactlyOnce} jobs in transactions made by {@code transactions}
   * instead of plain JDBC ones on the {@link #dataSource}: the Spring Boot starter installs one run
   * by the application's transaction manager.
   */
  public BatonBuilder jobTransactions(JobTransactions transactions) {
    this.jobTransactions = Objects.requireNonNull(transactions, "jobTransactions");
    return this;
  }

  public BatonBuilder tasks(Collection<Task> more) {
    more.forEach(this::task);
    return this;
  }

  /** Validates everything and returns the immutable settings. */
  public BatonSettings settings() {
    // The record validates every value; here only the defaults that depend on others.
    return new BatonSettings(
        dataSource,
        schedulerDataSource != null ? schedulerDataSource : dataSource,
        clusterName,
        nodeId != null ? nodeId : NodeIdentity.generateNodeId(),
        tablePrefix,
        threads,
        checkinInterval,
        failureGrace,
        misfireThreshold,
        idleWait,
        batchSize == -1 ? BatonSettings.defaultBatchSize(threads) : batchSize,
        drainTimeout,
        startupTimeout,
        pluginDirectory,
        List.copyOf(tasks),
        history,
        historyRetention,
        historyMaxRows,
        virtualThreads);
  }

  /**
   * Validates the settings and prepares the node in standby: schema migrated, configured tasks
   * registered, nothing fires until {@link Baton#start()} (or {@code quartz().start()}). What a
   * container that starts components in its own order (Spring's lifecycle) uses.
   */
  public Baton build() {
    return new Baton(settings(), jobFactory, jobTransactions);
  }

  /** Validates the settings and starts the node; see {@link Baton} for the order. */
  public Baton start() {
    return build().start();
  }
}
