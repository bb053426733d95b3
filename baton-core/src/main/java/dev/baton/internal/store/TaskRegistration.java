package dev.baton.internal.store;

import dev.baton.internal.QuartzTasks;
import dev.baton.internal.store.StoredTaskRows.StoredJob;
import dev.baton.internal.store.StoredTaskRows.StoredTrigger;
import dev.baton.internal.store.TaskRowWriter.Pending;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.Schedule;
import dev.baton.scheduling.Task;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.Constants;
import org.quartz.spi.OperableTrigger;

/**
 * Registers many tasks at once, set-based: {@link #CHUNK} tasks per transaction under Quartz's
 * {@code TRIGGER_ACCESS} lock (see {@code registerAll}), each chunk in a handful of statements
 * whatever its size: one query for the chunk's stored jobs, one for its stored triggers (with their
 * states and types), one for paused groups and, for non-concurrent jobs only, one for their running
 * executions; then multi-row inserts (up to 250 rows a statement) of the new jobs, triggers and
 * their simple or cron rows, and JDBC batches of updates for the changed ones only. Triggers of
 * kinds Baton never creates go through Quartz's own delegate, one at a time.
 *
 * <p>The semantics are those of registering each task alone:
 *
 * <ul>
 *   <li>an unchanged task writes nothing;
 *   <li>a changed one is updated in place (job, trigger, and its simple or cron row; a change of
 *       schedule kind replaces only that row), never deleted and recreated; its trigger keeps the
 *       stored progress ({@link TriggerProgress}: its fire times if the schedule is unchanged, else
 *       it continues after the last fire time that fired), read locked one trigger at a time
 *       (changes are few);
 *   <li>a paused trigger stays paused, a trigger stored in a paused group (or while every group is
 *       paused) is stored {@code PAUSED}, and one of a non-concurrent job that is executing is
 *       stored {@code BLOCKED} (or {@code PAUSED_BLOCKED}), as Quartz's {@code storeTrigger} does;
 *   <li>a one-shot whose time has passed and whose trigger is gone has completed: its trigger is
 *       recreated only if its time changed;
 *   <li>rows hold exactly what Quartz's own delegate writes (job data as properties text, as with
 *       {@code useProperties=true}), so Quartz reads them back alike.
 * </ul>
 *
 * Validation ({@link #item}) happens for every task before the first chunk is written. A database
 * failure in a later chunk leaves the earlier chunks registered (each is committed whole).
 *
 * <p>This class decides what each task needs; {@link StoredTaskRows} reads what is stored and
 * {@link TaskRowWriter} writes the differences.
 */
public final class TaskRegistration {
  /** Tasks per transaction: large enough to amortise the lock, small enough not to hold it long. */
  public static final int CHUNK = 1000;

  /**
   * One task to register, translated to Quartz; {@code trigger} is null for an on-demand task,
   * which has none of its own.
   */
  public record Item(JobDetail job, OperableTrigger trigger, boolean completed) {
    public String name() {
      return job.getKey().getName();
    }

    /** Its own trigger's key, also for an on-demand task, whose stored one (if any) must go. */
    TriggerKey triggerKey() {
      return trigger != null ? trigger.getKey() : QuartzTasks.triggerKey(name());
    }
  }

  /** What a chunk did, by task name, and the earliest fire time it stored (null if none). */
  record Outcome(Map<String, Registration> results, Long earliestFire) {}

  private final StoreContext ctx;
  private final StoredTaskRows storedRows;
  private final TaskRowWriter writer;
  private final NonConcurrency nonConcurrency;

  TaskRegistration(StoreContext ctx, NonConcurrency nonConcurrency) {
    this.ctx = ctx;
    this.nonConcurrency = nonConcurrency;
    this.storedRows = new StoredTaskRows(ctx);
    this.writer = new TaskRowWriter(ctx);
  }

  /**
   * Translates and validates a task; nothing is written.
   *
   * @throws InvalidTaskException when its schedule never fires
   */
  public static Item item(Task task, Class<? extends Job> jobClass, Instant now) {
    if (task.schedule() instanceof Schedule.OnDemand) {
      return new Item(QuartzTasks.job(task, jobClass), null, false);
    }
    OperableTrigger trigger = QuartzTasks.trigger(task, null, now.toEpochMilli());
    if (trigger.getNextFireTime() == null) {
      throw new InvalidTaskException(
          task.name(),
          "schedule",
          "'" + task.schedule().spec() + "' never fires; give one with a future fire time");
    }
    return new Item(
        QuartzTasks.job(task, jobClass), trigger, QuartzTasks.completedIfMissing(task, now));
  }

  /** Registers validated items, a chunk per transaction; returns what happened to each, by name. */
  public static Map<String, Registration> registerAll(BatonJobStore store, List<Item> items)
      throws JobPersistenceException {
    return store.registerAll(items);
  }

  /**
   * Registers validated items, a chunk per transaction of its own under {@code TRIGGER_ACCESS};
   * once a chunk commits, the scheduler is woken for its earliest fire time.
   */
  Map<String, Registration> registerAll(
      List<Item> items, QuartzTransaction transaction, LongConsumer signalOnCommit)
      throws JobPersistenceException {
    QuartzTransaction.Step<List<Item>, Map<String, Registration>> chunk =
        (conn, c) -> {
          Outcome out = write(conn, c);
          if (out.earliestFire() != null) signalOnCommit.accept(out.earliestFire());
          return out.results();
        };
    Map<String, Registration> out = new LinkedHashMap<>();
    for (int from = 0; from < items.size(); from += CHUNK) {
      List<Item> c = items.subList(from, Math.min(items.size(), from + CHUNK));
      out.putAll(transaction.run(QuartzTransaction.TRIGGER_ACCESS, chunk, c, null));
    }
    return out;
  }

  /** Writes one chunk in the caller's transaction, which holds {@code TRIGGER_ACCESS}. */
  Outcome write(Connection conn, List<Item> chunk) throws JobPersistenceException {
    try {
      // Inserts into grown tables want fresh planner statistics (PostgreSQL only).
      ctx.sql().refreshStatisticsIfOutgrown(conn);
      return writeChunk(conn, chunk);
    } catch (SQLException | IOException e) {
      throw new JobPersistenceException(
          "Could not register "
              + chunk.size()
              + " task(s) from '"
              + chunk.get(0).name()
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /** Compares each task with what is stored, then writes only what differs. */
  private Outcome writeChunk(Connection conn, List<Item> chunk)
      throws SQLException, IOException, JobPersistenceException {
    String jobGroup = chunk.get(0).job().getKey().getGroup();
    String triggerGroup = chunk.get(0).triggerKey().getGroup();
    List<String> jobNames = new ArrayList<>(chunk.size());
    List<String> triggerNames = new ArrayList<>(chunk.size());
    for (Item i : chunk) {
      if (!i.job().getKey().getGroup().equals(jobGroup)
          || !i.triggerKey().getGroup().equals(triggerGroup)) {
        throw new IllegalArgumentException(
            "A chunk holds one job group and one trigger group: " + i.name());
      }
      jobNames.add(i.name());
      triggerNames.add(i.triggerKey().getName());
    }
    Map<String, StoredJob> jobs = storedRows.jobs(conn, jobGroup, jobNames);
    Map<String, StoredTrigger> triggers = storedRows.triggers(conn, triggerGroup, triggerNames);

    Map<String, Registration> results = new LinkedHashMap<>();
    List<JobDetail> newJobs = new ArrayList<>();
    List<JobDetail> changedJobs = new ArrayList<>();
    List<Pending> pending = new ArrayList<>();
    List<TriggerKey> dropped = new ArrayList<>();
    for (Item i : chunk) {
      StoredJob stored = jobs.get(i.name());
      StoredTrigger trigger = triggers.get(i.triggerKey().getName());
      boolean sameJob = stored != null && stored.sameDefinition(i.job());
      if (sameJob && (trigger != null || i.completed() || i.trigger() == null)) {
        results.put(i.name(), Registration.UNCHANGED);
        continue;
      }
      (stored == null ? newJobs : changedJobs).add(i.job());
      results.put(i.name(), stored == null ? Registration.CREATED : Registration.UPDATED);
      if (i.trigger() == null) {
        // Now on demand: its own schedule's trigger goes; its runs and manual firings stay.
        if (trigger != null) dropped.add(i.triggerKey());
        continue;
      }
      // A one-shot whose time has passed is recreated if it is new or its time changed; if only
      // its data changed it has already run and is not run again.
      if (trigger != null || !i.completed() || stored == null || !stored.sameSchedule(i.job())) {
        boolean paused = false;
        if (trigger != null) {
          // A changed task's stored trigger: read again, locked, for the progress it keeps.
          TriggerProgress progress = TriggerProgress.read(conn, ctx, i.trigger().getKey());
          if (progress != null) {
            progress.applyTo(i.trigger());
            paused = progress.paused();
          }
        }
        pending.add(
            new Pending(
                i.job(),
                i.trigger(),
                trigger,
                paused ? Constants.STATE_PAUSED : Constants.STATE_WAITING));
      }
    }
    if (newJobs.isEmpty() && changedJobs.isEmpty()) return new Outcome(results, null);

    pending = withQuartzStates(conn, triggerGroup, pending);
    writer.insertJobs(conn, newJobs);
    writer.updateJobs(conn, changedJobs);
    writer.deleteTriggers(conn, dropped);
    Long earliest = writer.writeTriggers(conn, pending);
    return new Outcome(results, earliest);
  }

  /**
   * The states Quartz's {@code storeTrigger} would give: {@code PAUSED} in a paused group (a group
   * paused through "pause all" is recorded as paused first, as Quartz does), {@code BLOCKED} or
   * {@code PAUSED_BLOCKED} for a non-concurrent job with an execution in progress.
   */
  private List<Pending> withQuartzStates(Connection conn, String group, List<Pending> pending)
      throws SQLException, JobPersistenceException {
    if (pending.isEmpty()) return pending;
    boolean groupPaused = storedRows.storesPaused(conn, group);
    List<String> nonConcurrent = new ArrayList<>();
    List<Pending> out = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      String state = p.state();
      if (groupPaused && Constants.STATE_WAITING.equals(state)) state = Constants.STATE_PAUSED;
      out.add(new Pending(p.job(), p.trigger(), p.stored(), state));
      if (NonConcurrency.blocksOthers(p.job())) nonConcurrent.add(p.job().getKey().getName());
    }
    if (nonConcurrent.isEmpty()) return out;
    String jobGroup = out.get(0).job().getKey().getGroup();
    Set<String> running = nonConcurrency.running(conn, jobGroup, nonConcurrent);
    for (int i = 0; i < out.size(); i++) {
      Pending p = out.get(i);
      boolean blocked =
          running.contains(p.job().getKey().getName()) && NonConcurrency.blocksOthers(p.job());
      if (!blocked) continue;
      out.set(i, new Pending(p.job(), p.trigger(), p.stored(), NonConcurrency.blocked(p.state())));
    }
    return out;
  }
}
