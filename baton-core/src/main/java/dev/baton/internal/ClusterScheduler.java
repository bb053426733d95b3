package dev.baton.internal;

import dev.baton.BatonException;
import dev.baton.BatonSettings;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.DatabaseClock;
import dev.baton.internal.store.BatonJobStore;
import dev.baton.internal.store.SchedulerSql;
import dev.baton.locks.ClusterLocks;
import dev.baton.scheduling.DepartedNode;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.JobTransactions;
import dev.baton.scheduling.NodeInfo;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.Run;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.UnknownTaskException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.TriggerListener;
import org.quartz.impl.matchers.EverythingMatcher;
import org.quartz.listeners.SchedulerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling capability of one node: Quartz in clustered JDBC mode on the application's
 * database, with capability-aware acquisition, idempotent registration and a draining shutdown.
 * {@code Baton} drives its lifecycle; applications use it through {@code Baton}.
 *
 * <p>Its length is one-line forwards to Quartz, each wrapping Quartz's checked exception in one
 * that names the task and the action; registration is {@link TaskRegistrar}'s, the stop {@link
 * Drain}'s, the assembly {@link QuartzAssembly}'s.
 */
public final class ClusterScheduler {
  private static final Logger log = LoggerFactory.getLogger(ClusterScheduler.class);

  private final BatonSettings settings;
  private final SharedClassLoadHelper classes;
  private final Scheduler quartz;
  private final DatabaseClock clock;
  private final BatonJobStore store;
  private final WorkerPool pool;
  private final NodeDirectory nodes;
  private final DepartedNodes departures;
  private final TaskCatalog catalog;
  private final RetryListener retries;
  private final TaskRegistrar registrar;
  private final Drain drain;
  private final TransactionalJobs transactional;

  /**
   * Creates the Quartz scheduler in standby, on {@code database} (the scheduler's own pool, whose
   * dialect the node has detected once): nothing fires until {@link #start()}.
   */
  public ClusterScheduler(
      BatonSettings settings, Database database, SharedClassLoadHelper classes) {
    this.settings = settings;
    this.classes = classes;
    SchedulerSql sql = SchedulerSql.of(database.dialect(), settings.tablePrefix());
    this.clock = new DatabaseClock(settings.schedulerDataSource(), sql.nowMicros());
    this.store =
        new BatonJobStore(
            settings.schedulerDataSource(),
            sql,
            classes,
            settings.failureGrace().toMillis(),
            clock);
    this.departures =
        new DepartedNodes(
            settings.schedulerDataSource(),
            settings.tablePrefix(),
            settings.clusterName(),
            settings.nodeId(),
            clock);
    // Before the history's listener: told in the same recovery transaction either way.
    store.addNodeDeathListener(departures);
    this.nodes =
        new NodeDirectory(
            settings.schedulerDataSource(),
            settings.tablePrefix(),
            settings.clusterName(),
            settings.nodeId(),
            settings.failureGrace(),
            classes,
            clock,
            departures);
    this.catalog =
        new TaskCatalog(
            settings.schedulerDataSource(),
            settings.tablePrefix(),
            settings.clusterName(),
            classes,
            nodes);
    this.pool =
        new WorkerPool(
            settings.threads(),
            settings.batchSize(),
            "baton-" + settings.nodeId() + "-worker",
            settings.virtualThreads());
    this.transactional =
        new TransactionalJobs(
            settings.nodeId(), store, JobTransactions.jdbc(settings.dataSource()));
    this.quartz =
        withPluginLoader(() -> QuartzAssembly.create(settings, store, pool, transactional));
    this.registrar = new TaskRegistrar(settings.nodeId(), classes, clock, store, nodes);
    this.drain =
        new Drain(quartz, settings.nodeId(), settings.drainTimeout(), nodes, classes.loader());
    // First among the job listeners: the history recorder reads the details it attaches.
    this.retries = new RetryListener(settings.nodeId(), clock, store);
    addJobListener(retries);
    addTriggerListener(new ExecutionTokenListener(store));
  }

  /** Exactly-once jobs' transactions, and what commits with them. */
  public TransactionalJobs transactionalJobs() {
    return transactional;
  }

  /** Runs exactly-once jobs in {@code transactions}; call before {@link #start()}. */
  public void useJobTransactions(JobTransactions transactions) {
    transactional.use(transactions);
  }

  /** Puts every trigger in ERROR back in service, logging each; returns how many. */
  public int resetErroredTriggers() {
    try {
      List<TriggerKey> reset = store.resetErroredTriggers();
      for (TriggerKey key : reset) {
        log.warn("Trigger {} was in ERROR; put back in service by node {}", key, settings.nodeId());
      }
      return reset.size();
    } catch (SchedulerException e) {
      throw new BatonException("Could not reset triggers in ERROR: " + e.getMessage(), e);
    }
  }

  /**
   * Registers a task idempotently; see {@link TaskRegistrar#register}.
   *
   * @throws InvalidTaskException when this node cannot load or run the job class
   */
  public Registration register(Task task) {
    return registrar.register(task);
  }

  /**
   * Registers several tasks, validating every one before anything is written; see {@link
   * TaskRegistrar#registerAll}.
   *
   * @throws InvalidTaskException when a task is invalid here; nothing is written then
   */
  public Map<String, Registration> registerAll(Collection<Task> tasks) {
    return registrar.registerAll(tasks);
  }

  /** Stores runs of registered tasks; see {@link TaskRegistrar#submitAll}. */
  public List<Registration> submitAll(List<Run> runs) {
    return registrar.submitAll(runs);
  }

  /**
   * Registers one of Baton's own maintenance tasks; see {@link TaskRegistrar#registerBatonTask}.
   */
  public Registration registerBatonTask(
      String suffix, Duration every, Class<? extends Job> jobClass) {
    return registrar.registerBatonTask(suffix, every, jobClass);
  }

  /** The checks of a job stored through the Quartz API; see {@link TaskRegistrar#checkJobData}. */
  void checkJobData(JobDetail job) throws SchedulerException {
    registrar.checkJobData(job);
  }

  /**
   * Drains: stops acquiring, waits up to the drain timeout for running executions, then stops; see
   * {@link Drain}.
   *
   * @return true when every execution finished within the timeout
   */
  public boolean shutdown() {
    return drain.run();
  }

  /** The Quartz scheduler this engine drives; for the Quartz API view and Baton's tests. */
  public Scheduler quartzScheduler() {
    return quartz;
  }

  /** The job store; for the Quartz API view and Baton's tests. */
  public BatonJobStore store() {
    return store;
  }

  /**
   * Builds job instances with {@code factory} (Spring's, say) from now on, behind Baton's safe one:
   * a job it cannot build is a skipped firing, never a trigger in ERROR. Job classes it can build
   * by injection, public or not, count as runnable on this node from then on ({@code JobClasses}).
   */
  public void installJobFactory(org.quartz.spi.JobFactory factory) {
    Objects.requireNonNull(factory, "factory");
    classes.acceptInjectedConstructors();
    call(
        () -> {
          quartz.setJobFactory(new SafeJobFactory(settings.nodeId(), factory, pool, transactional));
          return null;
        },
        "install",
        "job factory");
  }

  /** Starts firing. */
  public void start() {
    withPluginLoader(
        () -> {
          quartz.start();
          return null;
        });
  }

  /** Refreshes this node's row in the node table; called periodically by {@code Baton}. */
  public void publishNode(String host, long pid, String version, Instant startedAt)
      throws SQLException {
    nodes.publish(host, pid, version, startedAt);
  }

  /** This node's view of the database's clock, on which every time Baton stores is taken. */
  public DatabaseClock clock() {
    return clock;
  }

  /** Deletes node-table rows of nodes that left long ago. */
  public int pruneDepartedNodes(Duration age) throws SQLException {
    return nodes.pruneDeparted(age);
  }

  /**
   * Nodes that departed within {@code within} (at most {@link DepartedNodes#MAX_RETENTION}), newest
   * first, with what was recovered from them.
   */
  public List<DepartedNode> departedNodes(Duration within) {
    return query(() -> departures.list(within), "list departed nodes");
  }

  /** Deletes departure records older than the longest retention; returns how many. */
  public int pruneDepartures() throws SQLException {
    return departures.prune();
  }

  /** Deletes the task: its job and every trigger. Returns false if there was no such task. */
  public boolean unschedule(String task) {
    // The job and its triggers in one transaction under the lock: Quartz's deleteJob reads the
    // triggers, then deletes each in a transaction of its own, and fails when one went in between
    // (a one-shot's trigger goes when its execution completes, without the lock).
    return call(() -> store.removeJob(QuartzTasks.jobKey(task)), "unschedule", task);
  }

  /** Fires the task once, now, on whichever capable node acquires it first. */
  public void triggerNow(String task) {
    requireTask(task);
    // Quartz's triggerJob would start the trigger at this node's wall-clock time.
    call(() -> quartz.scheduleJob(QuartzTasks.runNow(task, clock.now())), "run", task);
  }

  /**
   * Runs a task once more by hand, typically after a terminal failure: a firing now, on a capable
   * node, recorded with attempt "manual" and never retried automatically.
   */
  public void retry(String task) {
    requireTask(task);
    call(
        () ->
            quartz.scheduleJob(
                QuartzTasks.runNow(task, clock.now(), Map.of(RetryListener.MANUAL_KEY, "true"))),
        "retry",
        task);
  }

  /** Retries this node has scheduled since it started. */
  public long retriesScheduled() {
    return retries.scheduled();
  }

  /**
   * Failed firings this node ended for good since it started: attempts exhausted, or not retryable.
   */
  public long retriesExhausted() {
    return retries.exhausted();
  }

  public void pause(String task) {
    requireTask(task);
    call(
        () -> {
          quartz.pauseJob(QuartzTasks.jobKey(task));
          return null;
        },
        "pause",
        task);
  }

  public void resume(String task) {
    requireTask(task);
    call(
        () -> {
          quartz.resumeJob(QuartzTasks.jobKey(task));
          return null;
        },
        "resume",
        task);
  }

  public void pauseAll() {
    call(
        () -> {
          quartz.pauseAll();
          return null;
        },
        "pause",
        "all");
  }

  public void resumeAll() {
    call(
        () -> {
          quartz.resumeAll();
          return null;
        },
        "resume",
        "all");
  }

  /**
   * Every task of the cluster with its triggers, states and fire times, except Baton's own
   * maintenance tasks (names starting {@code baton.}), which {@link #task(String)} still finds.
   */
  public List<TaskInfo> tasks() {
    return query(() -> catalog.tasks(null), "list tasks");
  }

  public Optional<TaskInfo> task(String name) {
    return query(() -> catalog.tasks(name), "read task " + name).stream().findFirst();
  }

  /** Cluster members with their last check-in, live ones flagged. */
  public List<NodeInfo> nodes() {
    return query(nodes::nodes, "list nodes");
  }

  /** Adds a Quartz job listener for every job; used by history and metrics. */
  public void addJobListener(JobListener listener) {
    call(
        () -> {
          quartz.getListenerManager().addJobListener(listener, EverythingMatcher.allJobs());
          return null;
        },
        "add listener",
        listener.getName());
  }

  /** Adds a Quartz trigger listener for every trigger; used by cluster locks and metrics. */
  public void addTriggerListener(TriggerListener listener) {
    call(
        () -> {
          quartz.getListenerManager().addTriggerListener(listener, EverythingMatcher.allTriggers());
          return null;
        },
        "add listener",
        listener.getName());
  }

  /** Calls {@code listener} in the recovery transaction whenever this node declares nodes dead. */
  public void addNodeDeathListener(NodeDeathListener listener) {
    store.addNodeDeathListener(listener);
  }

  /**
   * Makes {@code value} available to this node's job instances as {@code
   * context.getScheduler().getContext().get(key)}; how Baton's own tasks reach their node.
   */
  public void putInContext(String key, Object value) {
    call(() -> quartz.getContext().put(key, value), "set context value", key);
  }

  /**
   * Runs {@code action} once Quartz has completely stopped, i.e. after the last running execution
   * ended; at once if it already has. Used after a drain that timed out.
   */
  public void whenStopped(Runnable action) {
    call(
        () -> {
          quartz
              .getListenerManager()
              .addSchedulerListener(
                  new SchedulerListenerSupport() {
                    @Override
                    public void schedulerShutdown() {
                      action.run();
                    }
                  });
          return null;
        },
        "add listener",
        "stop");
    if (call(quartz::isShutdown, "read state", "scheduler")) action.run();
  }

  /**
   * Makes tasks declared with {@link Task.Builder#underLock} take their lock from {@code locks} at
   * every firing, and skip (veto) the firing when it is busy. Call before {@link #start()}.
   */
  public void runTasksUnderLocks(ClusterLocks locks) {
    LockedTaskListener listener = new LockedTaskListener(locks);
    addTriggerListener(listener);
    addJobListener(listener);
  }

  public List<JobExecutionContext> running() {
    return drain.running();
  }

  public String nodeId() {
    return settings.nodeId();
  }

  public boolean isStarted() {
    return query(
        () -> quartz.isStarted() && !quartz.isInStandbyMode() && !quartz.isShutdown(), "state");
  }

  private void requireTask(String task) {
    boolean exists = call(() -> quartz.checkExists(QuartzTasks.jobKey(task)), "find", task);
    if (!exists) throw new UnknownTaskException(task);
  }

  private <T> T withPluginLoader(QuartzCall<T> body) {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    // Threads Quartz creates inherit this, so job code sees the plugin jars too.
    t.setContextClassLoader(classes.loader());
    try {
      return body.call();
    } catch (SchedulerException e) {
      throw new BatonException(
          "Quartz failed on node " + settings.nodeId() + ": " + e.getMessage(), e);
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  private <T> T call(QuartzCall<T> body, String action, String subject) {
    try {
      return body.call();
    } catch (SchedulerException e) {
      throw new BatonException("Could not " + action + " '" + subject + "': " + e.getMessage(), e);
    }
  }

  private <T> T query(SqlCall<T> body, String action) {
    try {
      return body.call();
    } catch (SQLException | SchedulerException e) {
      throw new BatonException("Could not " + action + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface QuartzCall<T> {
    T call() throws SchedulerException;
  }

  @FunctionalInterface
  private interface SqlCall<T> {
    T call() throws SQLException, SchedulerException;
  }
}
