package dev.baton.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Registration: {@code tasks} one-off tasks, due in a day (so nothing fires), stored through each
 * library's public API on a fresh database of the same server: Baton's {@code
 * register(Collection<Task>)} on a started node, db-scheduler's {@code SchedulerClient.schedule}
 * once per instance. Then the stored rows are counted: every task must be there. The statement
 * profile ({@link StatementProfile}) of each contender's registration, node start included, goes to
 * stdout.
 */
final class RegistrationBench {
  /** One contender's registration. */
  record Result(String name, int tasks, long stored, double seconds) {
    double perSecond() {
      return tasks / seconds;
    }
  }

  /** One contender's batches into one database: each batch's seconds, in order. */
  record BacklogResult(String name, int size, double[] seconds, long stored) {
    double first() {
      return seconds[0];
    }

    double last() {
      return seconds[seconds.length - 1];
    }

    double median() {
      double[] sorted = seconds.clone();
      java.util.Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }

    double slowest() {
      return java.util.Arrays.stream(seconds).max().orElse(0);
    }

    double total() {
      return java.util.Arrays.stream(seconds).sum();
    }
  }

  private final BenchDatabase server;
  private final int tasks;

  RegistrationBench(BenchDatabase server, int tasks) {
    this.server = server;
    this.tasks = tasks;
  }

  List<Result> run(List<SchedulerContender> contenders) throws Exception {
    List<Result> results = new ArrayList<>();
    for (SchedulerContender c : contenders) {
      String url = server.freshDatabase("reg_" + c.name());
      DataSource ds = server.pool(url, c.poolSize());
      c.createSchema(ds);
      StatementProfile.reset(server, url);
      double seconds = c.registerOneOff(ds, tasks);
      String name = label(c, "");
      StatementProfile.measure(server, url, name, 1, tasks);
      long stored = stored(c, ds);
      server.closePools();
      Result r = new Result(name, tasks, stored, seconds);
      System.out.printf(
          Locale.ROOT,
          "%-40s registered %,d tasks in %.2f s: %,.0f tasks/s (%,d stored)%n",
          r.name(),
          tasks,
          seconds,
          r.perSecond(),
          stored);
      if (stored != tasks)
        System.err.printf("%s: %d of %d tasks stored%n", r.name(), stored, tasks);
      results.add(r);
    }
    return results;
  }

  /**
   * Registration as an application adding one-off work over time: {@code batches} batches of {@code
   * size} tasks into one database, nothing firing, each batch timed on its own.
   */
  List<BacklogResult> runBacklog(List<SchedulerContender> contenders, int batches, int size)
      throws Exception {
    List<BacklogResult> results = new ArrayList<>();
    for (SchedulerContender c : contenders) {
      String url = server.freshDatabase("regb_" + c.name());
      DataSource ds = server.pool(url, c.poolSize());
      c.createSchema(ds);
      double[] seconds = c.registerInBatches(ds, batches, size);
      String name = label(c, " per batch");
      long stored = stored(c, ds);
      server.closePools();
      BacklogResult r = new BacklogResult(name, size, seconds, stored);
      System.out.printf(
          Locale.ROOT,
          "%-40s %d batches of %,d: first %.0f ms, median %.0f ms, last %.0f ms (last ÷ first"
              + " %.2f), %,d stored%n",
          r.name(),
          batches,
          size,
          r.first() * 1000,
          r.median() * 1000,
          r.last() * 1000,
          r.last() / r.first(),
          stored);
      if (stored != (long) batches * size)
        System.err.printf("%s: %d of %d tasks stored%n", r.name(), stored, batches * size);
      results.add(r);
    }
    return results;
  }

  /** The contender as the report names it, with the API it was driven through. */
  private static String label(SchedulerContender c, String how) {
    if (c instanceof BatonContender b && b.asRuns()) {
      return c.name() + " (`submit(List<Run>)` of one on-demand task" + how + ")";
    }
    return c instanceof BatonContender
        ? c.name() + " (`register(Collection<Task>)`" + how + ")"
        : "db-scheduler 16.7.1 (`SchedulerClient.schedule`, one by one)";
  }

  /** The registered tasks actually stored, counted in the contender's own table. */
  private static long stored(SchedulerContender c, DataSource ds) throws Exception {
    String table =
        c instanceof BatonContender
            ? "QRTZ_TRIGGERS WHERE TRIGGER_NAME LIKE 'reg-%' OR TRIGGER_NAME LIKE '"
                + BatonContender.RUNS_TASK
                + "#reg-%'"
            : "scheduled_tasks WHERE task_instance LIKE 'reg-%'";
    try (Connection conn = ds.getConnection();
        Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
