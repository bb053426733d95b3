package dev.baton;

import dev.baton.history.ExecutionHistory;
import dev.baton.internal.ClusterScheduler;
import dev.baton.internal.NodeIdentity;
import dev.baton.internal.NodeStartup;
import dev.baton.internal.NodeStartup.NodeParts;
import dev.baton.internal.QuartzSchedulerView;
import dev.baton.locks.ClusterLocks;
import dev.baton.scheduling.DepartedNode;
import dev.baton.scheduling.NodeInfo;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.Run;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * every setting, and {@link BatonBuilder#start()} it (or {@link BatonBuilder#build()} it in standby
 * and {@link #start()} it later). A node is built in the numbered steps of {@link NodeStartup}
 * (class loader, database checks, migrations, cluster locks, scheduler in standby, reset of
 * triggers in ERROR, task registration); {@link #start()} is the last step.
 *
 * <p>What a node does for the cluster is {@link BatonClient}'s; this class adds its lifecycle and
 * what only this node knows (its running executions, its counters, its view of the database clock).
 * {@link #close()} drains: it stops acquiring, waits for running executions up to the drain
 * timeout, then stops.
 */
public final class Baton implements BatonClient, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Baton.class);

  /** How long departures are kept: the longest view {@link #departedNodes} can give. */
  public static final Duration MAX_DEPARTED = Duration.ofDays(7);

  private final BatonSettings settings;
  private final NodeParts parts;
  private final ClusterScheduler scheduler;
  private final ScheduledExecutorService housekeeper;
  private final Instant startedAt = Instant.now();
  private final String version = NodeIdentity.version();
  private final org.quartz.Scheduler quartz;
  private volatile boolean closed;
  private boolean started;

  Baton(
      BatonSettings settings,
      org.quartz.spi.JobFactory jobFactory,
      dev.baton.scheduling.JobTransactions jobTransactions) {
    this.settings = settings;
    this.parts = NodeStartup.build(settings, jobFactory, jobTransactions);
    this.scheduler = parts.scheduler();
    this.housekeeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "baton-" + settings.nodeId() + "-housekeeper");
              t.setDaemon(true);
              return t;
            });
    this.quartz =
        new QuartzSchedulerView(
            new QuartzSchedulerView.Node(
                settings.nodeId(), this::start, this::close, this::isClosed),
            scheduler);
  }

  /**
   * Connections a node with {@code threads} workers uses at most, on top of what the application
   * itself needs: one per worker, Quartz's scheduler thread, cluster manager and misfire handler,
   * Baton's housekeeping, and on PostgreSQL the cluster-lock listener. Size the pool (or the
   * scheduler's own pool, for all but the last two) for it.
   */
  public static int connectionsNeeded(int threads) {
    return threads + 3 + 1 + 1;
  }

  /** Starts configuring a node on the application's pool. */
  public static BatonBuilder builder(DataSource dataSource) {
    return new BatonBuilder(dataSource);
  }

  /**
   * Starts firing (the last start-up step): publishes this node's row, then starts the scheduler.
   * On a node built with {@link BatonBuilder#build()} this is the moment work begins; after {@code
   * quartz().standby()} it resumes firing. Idempotent while firing.
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
      abandon(e);
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
        parts.database().description(),
        settings.threads(),
        settings.tasks().size());
    return this;
  }

  /** Stops what a failed start left running: housekeeping, then the start's own rollback. */
  private void abandon(RuntimeException cause) {
    housekeeper.shutdownNow();
    parts.abandon().accept(cause);
  }

  @Override
  public Registration register(Task task) {
    return scheduler.register(Objects.requireNonNull(task, "task"));
  }

  @Override
  public Map<String, Registration> register(Collection<Task> tasks) {
    return scheduler.registerAll(tasks);
  }

  @Override
  public Registration submit(Run run) {
    return scheduler.submitAll(List.of(Objects.requireNonNull(run, "run"))).get(0);
  }

  @Override
  public List<Registration> submit(List<Run> runs) {
    return scheduler.submitAll(List.copyOf(runs));
  }

  @Override
  public boolean unschedule(String task) {
    return scheduler.unschedule(task);
  }

  @Override
  public void triggerNow(String task) {
    scheduler.triggerNow(task);
  }

  @Override
  public void retry(String task) {
    scheduler.retry(task);
  }

  @Override
  public void pause(String task) {
    scheduler.pause(task);
  }

  @Override
  public void resume(String task) {
    scheduler.resume(task);
  }

  @Override
  public void pauseAll() {
    scheduler.pauseAll();
  }

  @Override
  public void resumeAll() {
    scheduler.resumeAll();
  }

  @Override
  public List<TaskInfo> tasks() {
    return scheduler.tasks();
  }

  @Override
  public Optional<TaskInfo> task(String name) {
    return scheduler.task(name);
  }

  @Override
  public List<NodeInfo> nodes() {
    return scheduler.nodes();
  }

  @Override
  public List<DepartedNode> departedNodes(Duration within) {
    if (within == null
        || within.isNegative()
        || within.isZero()
        || within.compareTo(MAX_DEPARTED) > 0)
      throw new IllegalArgumentException(
          "within must be more than zero and at most " + MAX_DEPARTED + "; got " + within);
    return scheduler.departedNodes(within);
  }

  @Override
  public int resetErroredTriggers() {
    return scheduler.resetErroredTriggers();
  }

  /** {@inheritDoc} Readable after {@link #close()} too. */
  @Override
  public ExecutionHistory history() {
    return parts.history().history();
  }

  /** {@inheritDoc} {@link #close()} releases the locks this node still holds. */
  @Override
  public ClusterLocks locks() {
    return parts.locks();
  }

  @Override
  public String nodeId() {
    return settings.nodeId();
  }

  /** Adds a plugin jar at run time; its job classes become runnable on this node at once. */
  public void addPluginJar(Path jar) {
    parts.plugins().addJar(jar);
  }

  /** The validated settings this node was built with. */
  public BatonSettings settings() {
    return settings;
  }

  /** The version of Baton this node runs. */
  public String version() {
    return version;
  }

  /** How many executions run on this node now. */
  public int runningExecutions() {
    return scheduler.running().size();
  }

  /** Retries of failed firings this node has stored since it started. */
  public long retriesScheduled() {
    return scheduler.retriesScheduled();
  }

  /**
   * Failed firings this node ended for good since it started: attempts exhausted, or not retryable.
   */
  public long retriesExhausted() {
    return scheduler.retriesExhausted();
  }

  /**
   * Reads the database's clock now, on which every time Baton stores is taken: how far this node's
   * wall clock is ahead of it (negative when behind), or empty when the database could not be read.
   */
  public Optional<Duration> databaseClockOffset() {
    if (!scheduler.clock().measure()) return Optional.empty();
    return Optional.of(Duration.ofMillis(scheduler.clock().offsetMillis()));
  }

  /**
   * Runs {@code action} once this node has stopped completely, after its last execution ended (at
   * once if it already has); what a health check uses to tell a drained node from a hung one.
   */
  public void whenStopped(Runnable action) {
    scheduler.whenStopped(Objects.requireNonNull(action, "action"));
  }

  /**
   * This node as a Quartz {@link org.quartz.Scheduler}, for code written against Quartz's API:
   * jobs, triggers (simple, cron, calendar-interval, daily-time-interval), listeners, pause and
   * resume, {@code triggerJob}, all stored in the cluster's tables with Baton's guarantees. What
   * differs from stock Quartz:
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

  /** The engine, for Baton's own tests (package {@code dev.baton}); not API. */
  ClusterScheduler engine() {
    return scheduler;
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
      int d = scheduler.pruneDepartures();
      if (d > 0) log.info("Removed {} departure record(s) older than {}", d, MAX_DEPARTED);
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
    if (drained) parts.history().close();
    else scheduler.whenStopped(parts.history()::close);
    // After the drain, so that tasks running under a lock release it themselves first. Locks of
    // executions still running past the drain are left to run out their lease, not released.
    parts.locks().close(drained);
    log.info("Baton node {} stopped{}", settings.nodeId(), drained ? "" : " (drain timed out)");
  }
}
