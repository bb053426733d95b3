package dev.baton.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Firing lateness: three nodes (in this JVM, each with its own pool) share {@code tasks} recurring
 * no-op tasks, every 1 to 5 s. After a warm-up, every execution for {@code seconds} records its
 * start minus its scheduled fire time.
 */
final class LatenessBench {
  static final int NODES = 3;
  private static final long WARMUP_MILLIS = 10_000;

  /** One contender's lateness, in milliseconds, with start times aligned or spread. */
  record Result(
      String name,
      boolean spread,
      int tasks,
      int seconds,
      int executions,
      double p50,
      double p99,
      double max) {}

  private final PgServer server;
  private final int tasks;
  private final int seconds;

  LatenessBench(PgServer server, int tasks, int seconds) {
    this.server = server;
    this.tasks = tasks;
    this.seconds = seconds;
  }

  /** Every contender with aligned start times, then every contender with spread ones. */
  List<Result> run(List<SchedulerContender> contenders) throws Exception {
    List<Result> results = new ArrayList<>();
    for (boolean spread : new boolean[] {false, true}) {
      for (SchedulerContender c : contenders) results.add(run(c, spread));
    }
    return results;
  }

  private Result run(SchedulerContender c, boolean spread) throws Exception {
    String url = server.freshDatabase(c.name());
    DataSource setup = server.pool(url, 2);
    c.createSchema(setup);
    c.scheduleRecurring(setup, tasks, spread);
    Executions.begin(0);
    List<AutoCloseable> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++)
      nodes.add(c.startNode(server.pool(url, c.poolSize()), "node-" + (i + 1)));
    Thread.sleep(WARMUP_MILLIS);
    Executions run = Executions.begin(0);
    Thread.sleep(seconds * 1000L);
    Samples late = run.lateness();
    Result r =
        new Result(
            c.name(),
            spread,
            tasks,
            seconds,
            late.size(),
            late.percentileMillis(50),
            late.percentileMillis(99),
            late.percentileMillis(100));
    for (AutoCloseable n : nodes) n.close();
    server.closePools();
    System.out.printf(
        Locale.ROOT,
        "%-20s %s: lateness over %d executions: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        r.name(),
        spread ? "spread" : "aligned",
        r.executions(),
        r.p50(),
        r.p99(),
        r.max());
    return r;
  }
}
