package dev.baton;

import dev.baton.internal.NodeIdentity;
import dev.baton.internal.classloading.PluginClassLoader;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.database.Database;
import dev.baton.internal.store.SchedulerSql;
import dev.baton.internal.database.SchemaMigrator;
import dev.baton.history.ExecutionHistory;
import dev.baton.internal.history.HistoryService;
import dev.baton.locks.ClusterLocks;
import dev.baton.internal.ClusterScheduler;
import dev.baton.scheduling.NodeInfo;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Baton node: the front door. Configure it with {@link #builder(DataSource)}, which validates
 * every setting, and {@link Builder#start()} it (or {@link Builder#build()} it in standby and {@link
 * #start()} it later). Start-up runs in one fixed order:
 *
 * <ol>
 *   <li>class loader (plugin jars),
 *   <li>database checks (reachable, supported),
 *   <li>schema migrations,
 *   <li>Quartz scheduler created in standby,
 *   <li>reset of triggers in ERROR,
 *   <li>registration of the configured tasks,
 *   <li>start.
 * </ol>
 *
 * <p>{@link #close()} drains: it stops acquiring, waits for running executions up to the drain
 * timeout, then stops.
 */
public final class Baton implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Baton.class);

  private final BatonSettings settings;
  private final PluginClassLoader plugins;
  private final ClusterScheduler scheduler;
  private final Database database;
  private final ScheduledExecutorService housekeeper;
  private final HistoryService history;
  private final ClusterLocks locks;
  private final Instant startedAt = Instant.now();
  private final String version = NodeIdentity.version();
  private final org.quartz.Scheduler quartz;
  private volatile boolean closed;
  private boolean started;

  private Baton(BatonSettings s, org.quartz.spi.JobFactory jobFactory) {
    this.settings = s;
    // 1. class loader
    this.plugins = new PluginClassLoader(Baton.class.getClassLoader());
    if (s.pluginDirectory() != null) {
      List<Path> jars = plugins.addDirectory(s.pluginDirectory());
      log.info("Loaded {} plugin jar(s) from {}", jars.size(), s.pluginDirectory().toAbsolutePath());
    }
    SharedClassLoadHelper classes = new SharedClassLoadHelper(plugins);
    // 2. database checks
    this.database = Database.connect(s.dataSource(), s.startupTimeout());
    Database own =
        s.schedulerDataSource() == s.dataSource()
            ? database
            : Database.connect(s.schedulerDataSource(), s.startupTimeout());
    if (own.dialect() != database.dialect()) {
      throw new InvalidSettingException(
          "schedulerDataSource",
          own.description(),
          "must point at the same database as the main DataSource (" + database.description() + ")");
    }
    // 3. migrations, on Baton's own pool when there is one: Flyway holds two connections at once.
    new SchemaMigrator(own, s.tablePrefix()).migrate();
    // Cluster locks on the application's pool, owned by this node (the tables exist now).
    this.locks =
        ClusterLocks.builder(s.dataSource())
            .nodeId(s.nodeId())
            .tablePrefix(s.tablePrefix())
            .startupTimeout(s.startupTimeout())
            .migrateSchema(false)
            .build();
    // 4. scheduler in standby
    ClusterScheduler created;
    try {
      created =
          new ClusterScheduler(
              new ClusterScheduler.Settings(
                  s.schedulerDataSource(),
                  s.clusterName(),
                  s.nodeId(),
                  s.tablePrefix(),
                  s.threads(),
                  s.checkinInterval(),
                  s.failureGrace(),
                  s.misfireThreshold(),
                  s.idleWait(),
                  s.batchSize(),
                  s.drainTimeout()),
              classes);
    } catch (RuntimeException e) {
      locks.close();
      throw e;
    }
    this.scheduler = created;
    // Before start: Quartz may recover a dead node's work at its first check-in.
    try {
      this.history =
          HistoryService.install(
              scheduler,
              s.dataSource(),
              s.tablePrefix(),
              s.clusterName(),
              s.nodeId(),
              s.history(),
              s.historyRetention(),
              s.historyMaxRows());
    } catch (RuntimeException e) {
      // Nothing may stay running when start fails: the standby scheduler, the lock renewer.
      scheduler.shutdown();
      locks.close();
      throw e;
    }
    this.housekeeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "baton-" + s.nodeId() + "-housekeeper");
              t.setDaemon(true);
              return t;
            });
    try {
      // Before registration: the factory decides which constructors make a job class runnable.
      if (jobFactory != null) scheduler.installJobFactory(jobFactory);
      scheduler.runTasksUnderLocks(locks);
      // 5. errored-trigger reset
      scheduler.resetErroredTriggers();
      // 6. task registration
      scheduler.registerAll(s.tasks());
      history.registerTasks();
      SchedulerSql.of(database.dialect(), s.tablePrefix()).refreshStatistics(database.dataSource());
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
    this.quartz = scheduler.quartzView(this);
  }

  /**
   * Starts firing (step 7): publishes this node's row, then starts the scheduler. On a node built
   * with {@link Builder#build()} this is the moment work begins; after {@code quartz().standby()}
   * it resumes firing. Idempotent while firing.
   *
   * @throws IllegalStateException when the node was closed
   */
  public synchronized Baton start() {
    if (closed) throw new IllegalStateException("Baton node " + settings.nodeId() + " is closed");
    if (started) {
      scheduler.start();
      return this;
    }
    try {
      // The node row first, so that the first check-in finds this node speaking the fast lane
      // and every node can turn it on at once.
      publishNode();
      scheduler.start();
    } catch (RuntimeException e) {
      closed = true;
      abandon();
      throw e;
    }
    started = true;
    long tick = Math.max(1000, settings.checkinInterval().toMillis() * 2);
    housekeeper.scheduleWithFixedDelay(this::publishNode, 0, tick, TimeUnit.MILLISECONDS);
    housekeeper.scheduleWithFixedDelay(this::pruneNodes, 60, 300, TimeUnit.SECONDS);
    log.info(
        "Baton node {} started in cluster '{}' on {} ({} threads, {} tasks registered)",
        settings.nodeId(),
        settings.clusterName(),
        database.description(),
        settings.threads(),
        settings.tasks().size());
    return this;
  }

  /** Stops what a failed start left running: the scheduler, housekeeping, history, lock renewer. */
  private void abandon() {
    scheduler.shutdown();
    housekeeper.shutdownNow();
    history.close();
    locks.close();
  }

  /** Starts configuring a node on the application's pool. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Registers (creates, or updates in place) a task; unchanged definitions write nothing. */
  public Registration register(Task task) {
    return scheduler.register(Objects.requireNonNull(task, "task"));
  }

  /** Registers several tasks; returns what happened to each, by name. */
  public Map<String, Registration> register(Collection<Task> tasks) {
    return scheduler.registerAll(tasks);
  }

  /** Deletes a task and its triggers; false when it did not exist. */
  public boolean unschedule(String task) {
    return scheduler.unschedule(task);
  }

  /** Fires a task once, now, on a capable node. */
  public void triggerNow(String task) {
    scheduler.triggerNow(task);
  }

  /**
   * Runs a task once more by hand, typically after its retries were exhausted: one firing now, on a
   * capable node, never retried automatically; its history entry says attempt "manual".
   */
  public void retry(String task) {
    scheduler.retry(task);
  }

  /** Pauses one task across the cluster; it stays paused across restarts and re-registration. */
  public void pause(String task) {
    scheduler.pause(task);
  }

  public void resume(String task) {
    scheduler.resume(task);
  }

  /** Pauses every task, including ones created later, until {@link #resumeAll()}. */
  public void pauseAll() {
    scheduler.pauseAll();
  }

  public void resumeAll() {
    scheduler.resumeAll();
  }

  /** Every task in the cluster with its triggers, states and next fire times. */
  public List<TaskInfo> tasks() {
    return scheduler.tasks();
  }

  public Optional<TaskInfo> task(String name) {
    return scheduler.task(name);
  }

  /** Cluster members with their last check-in. */
  public List<NodeInfo> nodes() {
    return scheduler.nodes();
  }

  /** Puts triggers in ERROR back in service (done at every start too); returns how many. */
  public int resetErroredTriggers() {
    return scheduler.resetErroredTriggers();
  }

  /** Adds a plugin jar at run time; its job classes become runnable on this node at once. */
  public void addPluginJar(Path jar) {
    plugins.addJar(jar);
  }

  public String nodeId() {
    return settings.nodeId();
  }

  public BatonSettings settings() {
    return settings;
  }

  public String version() {
    return version;
  }

  /**
   * The cluster's execution history: one entry per execution attempt, queryable by task, outcome,
   * node and time. Readable after {@link #close()} too.
   */
  public ExecutionHistory history() {
    return history.history();
  }

  /**
   * This node's cluster locks (owner = this node's id), on the main DataSource. {@link #close()}
   * releases the locks it still holds.
   */
  public ClusterLocks locks() {
    return locks;
  }

  /** The scheduling capability, for Baton's own modules (history, locks, server). */
  public ClusterScheduler scheduler() {
    return scheduler;
  }

  /**
   * This node as a Quartz {@link org.quartz.Scheduler}, for code written against Quartz's API: jobs,
   * triggers (simple, cron, calendar-interval, daily-time-interval), listeners, pause and resume,
   * {@code triggerJob}, all stored in the cluster's tables with Baton's guarantees. What differs from
   * stock Quartz:
   *
   * <ul>
   *   <li>job data must be strings (Baton stores it as text, never as serialized objects); other
   *       values are refused with an exception naming the job and the key;
   *   <li>calendars are refused: Quartz stores them as serialized Java objects;
   *   <li>{@code start()} is {@link #start()}, and {@code shutdown()} is {@link #close()}, which
   *       always drains running executions up to the drain timeout;
   *   <li>{@code setJobFactory} installs a factory (Spring's, say) behind Baton's: a job it cannot
   *       build is a skipped firing, never a trigger in ERROR, and job classes with any public
   *       constructor count as runnable on this node from then on.
   * </ul>
   */
  public org.quartz.Scheduler quartz() {
    return quartz;
  }

  /** Whether {@link #close()} was called (or a start failed). */
  public boolean isClosed() {
    return closed;
  }

  /** Whether the node is started and firing. */
  public boolean isRunning() {
    return !closed && scheduler.isStarted();
  }

  private void publishNode() {
    try {
      scheduler.publishNode(NodeIdentity.host(), NodeIdentity.pid(), version, startedAt);
    } catch (Exception e) {
      // Must not kill the periodic task; the next tick retries.
      log.warn("Node {} could not publish its node row: {}", settings.nodeId(), e.toString());
    }
  }

  private void pruneNodes() {
    try {
      int n = scheduler.pruneDepartedNodes(Duration.ofMinutes(10));
      if (n > 0) log.info("Removed {} row(s) of departed nodes", n);
    } catch (Exception e) {
      log.warn("Node {} could not prune departed nodes: {}", settings.nodeId(), e.toString());
    }
  }

  /**
   * Drains and stops: no new firings start, running executions get up to the drain timeout, then
   * the node leaves the cluster. Idempotent. Never closes the application's DataSource.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    housekeeper.shutdownNow();
    boolean drained = scheduler.shutdown();
    // Every execution's end is queued once Quartz has stopped; only then can history be flushed.
    if (drained) history.close();
    else scheduler.whenStopped(history::close);
    // After the drain, so that tasks running under a lock release it themselves first. Locks of
    // executions still running past the drain are left to run out their lease, not released.
    locks.close(drained);
    log.info("Baton node {} stopped{}", settings.nodeId(), drained ? "" : " (drain timed out)");
  }

  /**
   * Configures a node. Every setting is validated by {@link #settings()} (and so by {@link
   * #start()}), which fails on the first bad one with a message naming it and the fix.
   */
  public static final class Builder {
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

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * A separate pool for Quartz's own threads, on the same database. Size it for {@code threads +
     * 3} connections. Without it Quartz shares the application's pool, which then needs that many
     * connections on top of the application's own.
     */
    public Builder schedulerDataSource(DataSource ds) {
      this.schedulerDataSource = ds;
      return this;
    }

    /** The cluster's name; nodes with the same name and table prefix share their tasks. */
    public Builder clusterName(String name) {
      this.clusterName = name;
      return this;
    }

    /** This node's id; unique per process. Generated from host, pid and a random part if unset. */
    public Builder nodeId(String id) {
      this.nodeId = id;
      return this;
    }

    public Builder tablePrefix(String prefix) {
      this.tablePrefix = prefix;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Check-in interval (default 1 s); with {@link #failureGrace} it sets failover time. */
    public Builder checkinInterval(Duration interval) {
      this.checkinInterval = interval;
      return this;
    }

    /**
     * How long past its check-in interval a silent node is declared dead (default 2 s). Shorter
     * fails over sooner; a node paused longer than this (GC, VM stall) is falsely declared dead and
     * its recoverable executions run again elsewhere.
     */
    public Builder failureGrace(Duration grace) {
      this.failureGrace = grace;
      return this;
    }

    public Builder misfireThreshold(Duration threshold) {
      this.misfireThreshold = threshold;
      return this;
    }

    /**
     * How long an idle node waits before looking for due triggers again (default 500 ms): a task
     * registered on another node is seen within it. A look is one indexed query without the
     * cluster lock while the fast lane is on.
     */
    public Builder idleWait(Duration idleWait) {
      this.idleWait = idleWait;
      return this;
    }

    /**
     * Due triggers taken per acquisition (default: twice the thread count, at most that). A node
     * takes as many as it has free workers and, while its recent jobs were short, as many more to
     * queue for them, so that the next claim overlaps the running batch; a queued firing that gets
     * no worker within a second goes back to the cluster.
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** How long close() waits for running executions (default 30 s). */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = timeout;
      return this;
    }

    /** How long start waits for an unreachable database, retrying with backoff (default 30 s). */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    /** A directory whose jars hold job classes; loaded at start. */
    public Builder pluginDirectory(Path dir) {
      this.pluginDirectory = dir;
      return this;
    }

    /**
     * Whether this node records its executions in the history (default true). Turning it off only
     * stops this node's recording; queries and the clean-up still work.
     */
    public Builder history(boolean record) {
      this.history = record;
      return this;
    }

    /** How long finished history entries are kept (default 30 days); same on every node. */
    public Builder historyRetention(Duration retention) {
      this.historyRetention = retention;
      return this;
    }

    /** How many finished history entries are kept at most (default 1,000,000). */
    public Builder historyMaxRows(long maxRows) {
      this.historyMaxRows = maxRows;
      return this;
    }

    /** A task registered at every start. */
    public Builder task(Task task) {
      tasks.add(Objects.requireNonNull(task, "task"));
      return this;
    }

    /**
     * Builds job instances with {@code factory} (Spring's {@code SpringBeanJobFactory}, say) instead
     * of their public no-argument constructor, so that jobs may take their dependencies by
     * injection: job classes with any constructor such a factory can choose (the only one, a
     * no-argument one or one annotated {@code @Autowired}; public or not, as Spring allows) then
     * count as runnable on this node. A job the factory cannot build is a skipped, logged firing,
     * never a trigger in ERROR.
     */
    public Builder jobFactory(org.quartz.spi.JobFactory factory) {
      this.jobFactory = Objects.requireNonNull(factory, "jobFactory");
      return this;
    }

    public Builder tasks(Collection<Task> more) {
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
          batchSize == -1 ? 2 * threads : batchSize,
          drainTimeout,
          startupTimeout,
          pluginDirectory,
          List.copyOf(tasks),
          history,
          historyRetention,
          historyMaxRows);
    }

    /**
     * Validates the settings and prepares the node in standby: schema migrated, configured tasks
     * registered, nothing fires until {@link Baton#start()} (or {@code quartz().start()}). What a
     * container that starts components in its own order (Spring's lifecycle) uses.
     */
    public Baton build() {
      return new Baton(settings(), jobFactory);
    }

    /** Validates the settings and starts the node; see {@link Baton} for the order. */
    public Baton start() {
      return build().start();
    }
  }
}
