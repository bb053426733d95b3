package dev.baton.internal;

import dev.baton.BatonException;
import dev.baton.internal.classloading.JobClasses;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.database.DatabaseClock;
import dev.baton.internal.store.BatonJobStore;
import dev.baton.internal.store.ConcurrencyLimit;
import dev.baton.internal.store.TaskRegistration;
import dev.baton.internal.tracing.TriggerContexts;
import dev.baton.scheduling.InvalidRetryPolicyException;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.RetryPolicy;
import dev.baton.scheduling.Run;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.SchedulerException;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration on this node: a task is checked against what this node can run (its job class loads
 * and can be built here, its concurrency limit and retry policy make sense for that class) before
 * anything is written, then written set-based ({@link TaskRegistration}) and the changes logged.
 * Jobs stored through the Quartz API get the same checks of their data ({@link #checkJobData}).
 */
final class TaskRegistrar {
  private static final Logger log = LoggerFactory.getLogger(TaskRegistrar.class);

  private final String nodeId;
  private final SharedClassLoadHelper classes;
  private final DatabaseClock clock;
  private final BatonJobStore store;
  private final NodeDirectory nodes;

  TaskRegistrar(
      String nodeId,
      SharedClassLoadHelper classes,
      DatabaseClock clock,
      BatonJobStore store,
      NodeDirectory nodes) {
    this.nodeId = nodeId;
    this.classes = classes;
    this.clock = clock;
    this.store = store;
    this.nodes = nodes;
  }

  /**
   * Registers a task idempotently. The job class must be loadable on this node.
   *
   * @throws InvalidTaskException when this node cannot load or run the job class
   */
  Registration register(Task task) {
    return registerAll(List.of(task)).get(task.name());
  }

  /**
   * Registers several tasks, set-based, a chunk of them per transaction ({@link TaskRegistration});
   * returns what happened to each, by name. Every task is validated before anything is written. A
   * name given twice is registered once, with its last definition.
   *
   * @throws InvalidTaskException when a task is invalid here; nothing is written then
   */
  Map<String, Registration> registerAll(Collection<Task> tasks) {
    Map<String, Task> byName = new LinkedHashMap<>();
    for (Task t : tasks) byName.put(t.name(), t);
    Instant now = Instant.ofEpochMilli(clock.now());
    List<TaskRegistration.Item> items = new ArrayList<>(byName.size());
    for (Task t : byName.values()) items.add(TaskRegistration.item(t, loadJobClass(t), now));
    // The registering caller's trace context, read once, goes with each trigger written.
    Map<String, String> context = TriggerContexts.current();
    for (TaskRegistration.Item i : items) {
      if (!context.isEmpty() && i.trigger() != null) i.trigger().getJobDataMap().putAll(context);
    }
    return registerItems(items, byName, "Task");
  }

  /**
   * Stores runs of registered tasks, set-based ({@link BatonJobStore#submitRuns}); returns what
   * happened to each, in order: {@code CREATED}, or {@code UNCHANGED} when its id was pending.
   *
   * @throws dev.baton.scheduling.UnknownTaskException when a run's task does not exist; nothing is
   *     stored then
   */
  List<Registration> submitAll(List<Run> runs) {
    if (runs.isEmpty()) return List.of();
    long now = clock.now();
    Map<String, String> context = TriggerContexts.current();
    List<OperableTrigger> triggers = new ArrayList<>(runs.size());
    for (Run r : runs) {
      OperableTrigger t = QuartzTasks.run(Objects.requireNonNull(r, "run"), now);
      // Whoever submitted the run: its trace context goes with the firing.
      if (!context.isEmpty()) t.getJobDataMap().putAll(context);
      triggers.add(t);
    }
    try {
      return store.submitRuns(triggers);
    } catch (SchedulerException e) {
      String what = runs.size() == 1 ? "run " + runs.get(0) : runs.size() + " runs";
      throw new BatonException("Could not submit " + what + ": " + e.getMessage(), e);
    }
  }

  /** Writes validated tasks and logs what changed. */
  private Map<String, Registration> registerItems(
      List<TaskRegistration.Item> items, Map<String, Task> byName, String kind) {
    Map<String, Registration> out;
    try {
      out = TaskRegistration.registerAll(store, items);
    } catch (SchedulerException e) {
      String what =
          items.size() == 1 ? "task '" + items.get(0).name() + "'" : items.size() + " tasks";
      throw new BatonException("Could not register " + what + ": " + e.getMessage(), e);
    }
    int changed = 0;
    for (Map.Entry<String, Registration> e : out.entrySet()) {
      if (e.getValue() == Registration.UNCHANGED) continue;
      // One line per change, except for large batches, which get a summary.
      if (++changed <= LOGGED_CHANGES) {
        log.info(
            "{} {} {} ({})",
            kind,
            e.getKey(),
            e.getValue().name().toLowerCase(),
            byName.get(e.getKey()).schedule().spec());
      }
    }
    if (changed > 0) nodes.invalidate();
    if (changed > LOGGED_CHANGES) {
      long created = out.values().stream().filter(r -> r == Registration.CREATED).count();
      log.info(
          "{} tasks registered: {} created, {} updated, {} unchanged ({} logged above)",
          out.size(),
          created,
          changed - created,
          out.size() - changed,
          LOGGED_CHANGES);
    }
    return out;
  }

  /** Changed tasks logged one by one per registration call. */
  private static final int LOGGED_CHANGES = 20;

  private Class<? extends Job> loadJobClass(Task task) {
    Class<?> c;
    try {
      c = classes.loadClass(task.jobClassName());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new InvalidTaskException(
          task.name(),
          "jobClass",
          "'"
              + task.jobClassName()
              + "' cannot be loaded on node "
              + nodeId
              + ": not on the class path nor in the plugin jars");
    }
    JobClasses.check(task.name(), c, classes.acceptsInjectedConstructors());
    String contradiction = ConcurrencyLimit.contradiction(task.maxConcurrent(), c);
    if (contradiction != null)
      throw new InvalidTaskException(task.name(), "maxConcurrent", contradiction);
    if (task.retryPolicy() != null) {
      try {
        task.retryPolicy().checkTypes(classes.loader());
      } catch (InvalidRetryPolicyException e) {
        throw new InvalidTaskException(task.name(), "retry." + e.field(), e.problem());
      }
    }
    return c.asSubclass(Job.class);
  }

  /**
   * Refuses a Quartz job whose concurrency limit or retry policy keys are malformed, whose limit
   * above one contradicts its class's {@code @DisallowConcurrentExecution}, or whose policy names
   * classes this node cannot load; nothing is stored then.
   */
  void checkJobData(JobDetail job) throws SchedulerException {
    String limit = ConcurrencyLimit.problem(job.getJobDataMap());
    if (limit != null) throw new SchedulerException("Job '" + job.getKey() + "': " + limit);
    String contradiction =
        ConcurrencyLimit.contradiction(ConcurrencyLimit.of(job.getJobDataMap()), job.getJobClass());
    if (contradiction != null) {
      throw new SchedulerException(
          "Job '" + job.getKey() + "': " + ConcurrencyLimit.KEY + " " + contradiction);
    }
    try {
      RetryPolicy p = RetryPolicy.fromData(job.getJobDataMap());
      if (p != null) p.checkTypes(classes.loader());
    } catch (InvalidRetryPolicyException e) {
      throw new SchedulerException(
          "Job '" + job.getKey() + "': " + RetryPolicy.dataKey(e.field()) + " " + e.problem());
    }
  }

  /**
   * Registers one of Baton's own maintenance tasks (name {@code baton.<suffix>}), a name user tasks
   * cannot take. Its first firing is one interval after its creation, not at once.
   */
  Registration registerBatonTask(String suffix, Duration every, Class<? extends Job> jobClass) {
    Task task = Task.named(Task.RESERVED_PREFIX + suffix).every(every).runs(jobClass).build();
    TaskRegistration.Item item =
        new TaskRegistration.Item(
            QuartzTasks.job(task, jobClass),
            QuartzTasks.trigger(task, Instant.ofEpochMilli(clock.now()).plus(every), clock.now()),
            false);
    return registerItems(List.of(item), Map.of(task.name(), task), "Baton task").get(task.name());
  }
}
