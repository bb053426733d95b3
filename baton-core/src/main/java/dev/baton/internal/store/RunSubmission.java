package dev.baton.internal.store;

import dev.baton.internal.store.TaskRowWriter.Pending;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.UnknownTaskException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.Constants;
import org.quartz.spi.OperableTrigger;

/**
 * Stores runs of registered tasks ({@link dev.baton.scheduling.Run}): each is a trigger of its
 * task's job, with data of its own, and no job row. Set-based, {@link TaskRegistration#CHUNK} runs
 * per transaction under {@code TRIGGER_ACCESS}, each chunk in a few statements whatever its size:
 * one read of its tasks (which exist, which are non-concurrent, which have a paused trigger), one
 * of the runs already pending, and for non-concurrent tasks one of their executions; then multi-row
 * inserts of the new triggers and their simple rows.
 *
 * <p>A run is stored as Quartz's {@code storeTrigger} would store it: {@code PAUSED} when its group
 * is paused, or (Baton's addition) when its task has a paused trigger, so that the runs of a paused
 * task wait with it; {@code BLOCKED} when its task is non-concurrent and executing.
 */
final class RunSubmission {
  /** A task's state as its runs need it. */
  private record RunTask(boolean nonConcurrent, boolean paused) {}

  /** What a chunk's transaction did; {@code unknownTask} set when it wrote nothing for that. */
  private record Written(List<Registration> outcomes, Long earliest, String unknownTask) {}

  private final StoreContext ctx;
  private final StoredTaskRows storedRows;
  private final TaskRowWriter writer;
  private final NonConcurrency nonConcurrency;

  RunSubmission(StoreContext ctx, NonConcurrency nonConcurrency) {
    this.ctx = ctx;
    this.nonConcurrency = nonConcurrency;
    this.storedRows = new StoredTaskRows(ctx);
    this.writer = new TaskRowWriter(ctx);
  }

  /**
   * Stores runs (triggers of Baton tasks' jobs, one trigger group), a chunk per transaction; once a
   * chunk commits, the scheduler is woken for its earliest fire time. Returns, in order, {@code
   * CREATED} for each run stored and {@code UNCHANGED} for each whose id was already pending (or
   * given twice).
   *
   * @throws UnknownTaskException when a run's task does not exist; nothing is stored then
   */
  List<Registration> submitAll(
      List<OperableTrigger> runs, QuartzTransaction transaction, LongConsumer signalOnCommit)
      throws JobPersistenceException {
    // Every task is checked before the first of several chunks, so that a bad name writes nothing
    // (a single chunk checks its own, in its transaction).
    if (runs.size() > TaskRegistration.CHUNK) {
      String unknown =
          transaction.run(null, (conn, r) -> unknownTask(r, tasks(conn, r)), runs, null);
      if (unknown != null) throw new UnknownTaskException(unknown);
    }
    QuartzTransaction.Step<List<OperableTrigger>, Written> chunk =
        (conn, c) -> {
          Written w = write(conn, c);
          if (w.earliest() != null) signalOnCommit.accept(w.earliest());
          return w;
        };
    List<Registration> out = new ArrayList<>(runs.size());
    for (int from = 0; from < runs.size(); from += TaskRegistration.CHUNK) {
      List<OperableTrigger> c =
          runs.subList(from, Math.min(runs.size(), from + TaskRegistration.CHUNK));
      Written w = transaction.run(QuartzTransaction.TRIGGER_ACCESS, chunk, c, null);
      if (w.unknownTask() != null) throw new UnknownTaskException(w.unknownTask());
      out.addAll(w.outcomes());
    }
    return out;
  }

  /**
   * Writes one chunk: each run's outcome and the earliest fire time stored, or, when one of its
   * tasks does not exist, that task and nothing written. (Returned, not thrown: Quartz would wrap
   * an exception thrown in its transaction.)
   */
  private Written write(Connection conn, List<OperableTrigger> chunk)
      throws JobPersistenceException {
    String group = chunk.get(0).getKey().getGroup();
    try {
      // Inserts into grown tables want fresh planner statistics (PostgreSQL only): the foreign-key
      // checks of the simple-trigger rows otherwise scan the triggers table, row by row.
      ctx.sql().refreshStatisticsIfOutgrown(conn);
      Map<String, RunTask> tasks = tasks(conn, chunk);
      String unknown = unknownTask(chunk, tasks);
      if (unknown != null) return new Written(List.of(), null, unknown);
      List<Registration> out = new ArrayList<>(chunk.size());
      List<String> names = new ArrayList<>(chunk.size());
      for (OperableTrigger t : chunk) names.add(t.getKey().getName());
      Set<String> taken = new HashSet<>(storedRows.triggers(conn, group, names).keySet());
      boolean groupPaused = storedRows.storesPaused(conn, group);
      Set<String> running = running(conn, chunk.get(0).getJobKey().getGroup(), tasks);
      List<Pending> pending = new ArrayList<>(chunk.size());
      for (OperableTrigger t : chunk) {
        if (!taken.add(t.getKey().getName())) {
          out.add(Registration.UNCHANGED);
          continue;
        }
        String task = t.getJobKey().getName();
        RunTask of = tasks.get(task);
        String state =
            groupPaused || of.paused() ? Constants.STATE_PAUSED : Constants.STATE_WAITING;
        if (running.contains(task)) state = NonConcurrency.blocked(state);
        pending.add(new Pending(null, t, null, state));
        out.add(Registration.CREATED);
      }
      return new Written(out, pending.isEmpty() ? null : writer.writeTriggers(conn, pending), null);
    } catch (SQLException | IOException e) {
      throw new JobPersistenceException(
          "Could not store "
              + chunk.size()
              + " run(s) from '"
              + chunk.get(0).getKey().getName()
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /** The runs' tasks that exist, by name. */
  private Map<String, RunTask> tasks(Connection conn, List<OperableTrigger> runs)
      throws JobPersistenceException {
    Set<String> names = new LinkedHashSet<>();
    for (OperableTrigger t : runs) names.add(t.getJobKey().getName());
    Map<String, RunTask> out = new HashMap<>();
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().runTasks(names.size()))) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, runs.get(0).getJobKey().getGroup());
      ctx.sql().bindAmong(ps, 3, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new RunTask(rs.getBoolean(2), rs.getInt(3) == 1));
        }
      }
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not read the runs' tasks: " + e.getMessage(), e);
    }
    return out;
  }

  /** The first of the runs' tasks that is not among {@code tasks}; null when all are. */
  private static String unknownTask(List<OperableTrigger> runs, Map<String, RunTask> tasks) {
    for (OperableTrigger t : runs) {
      if (!tasks.containsKey(t.getJobKey().getName())) return t.getJobKey().getName();
    }
    return null;
  }

  /** Which of the non-concurrent tasks among {@code tasks} are executing now, cluster-wide. */
  private Set<String> running(Connection conn, String jobGroup, Map<String, RunTask> tasks)
      throws SQLException {
    List<String> nonConcurrent = new ArrayList<>();
    tasks.forEach(
        (name, t) -> {
          if (t.nonConcurrent()) nonConcurrent.add(name);
        });
    return nonConcurrent.isEmpty()
        ? Set.of()
        : nonConcurrency.running(conn, jobGroup, nonConcurrent);
  }
}
