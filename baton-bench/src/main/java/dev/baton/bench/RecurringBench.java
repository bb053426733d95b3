package dev.baton.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.baton.Baton;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * What one recurring cron firing costs the database: {@code tasks} cron tasks, each firing every
 * second, on one node with its defaults, measured for {@code seconds} after a warm-up: statements,
 * {@code QRTZ_LOCKS} acquisitions and statement execution time per firing ({@code
 * pg_stat_statements}, reset when the measurement starts; node check-ins included), for Baton,
 * stock Quartz and db-scheduler's recurring tasks (polling every second, not its default 10 s,
 * which runs an every-second task every 10 s).
 */
final class RecurringBench {
  static final String QUARTZ_CRON = "* * * * * ?";
  private static final String DB_SCHEDULER_CRON = "* * * * * *";
  private static final long WARM_UP_MILLIS = 5_000;

  /** One contender's measurement. */
  record Result(String name, int tasks, int seconds, long firings, StatementProfile.Profile p) {}

  private interface Node {
    /** Creates the schema, stores the tasks and starts one node; closing stops it. */
    AutoCloseable start(DataSource ds, int tasks) throws Exception;
  }

  private final PgServer server;
  private final int tasks;
  private final int seconds;

  RecurringBench(PgServer server, int tasks, int seconds) {
    this.server = server;
    this.tasks = tasks;
    this.seconds = seconds;
  }

  List<Result> run() throws Exception {
    List<Result> results = new ArrayList<>();
    results.add(measure("Baton", RecurringBench::baton));
    results.add(measure("Quartz 2.5.2", RecurringBench::stockQuartz));
    results.add(measure("db-scheduler 16.7.1 (recurring task)", RecurringBench::dbScheduler));
    return results;
  }

  private Result measure(String name, Node node) throws Exception {
    String url = server.freshDatabase("cron_" + name.replaceAll("[^A-Za-z0-9]", "_"));
    DataSource ds = server.pool(url, 16);
    Result r;
    try (AutoCloseable running = node.start(ds, tasks)) {
      Thread.sleep(WARM_UP_MILLIS);
      Executions firings = Executions.begin(0);
      StatementProfile.reset(server, url);
      Thread.sleep(seconds * 1000L);
      long n = firings.executions();
      StatementProfile.Profile p =
          StatementProfile.measure(server, url, name, 1, (int) Math.max(1, n));
      r = new Result(name, tasks, seconds, n, p);
    }
    server.closePools();
    System.out.printf(
        Locale.ROOT,
        "%-40s %,d firings in %d s: %.2f statements, %.3f QRTZ_LOCKS FOR UPDATE, %.3f ms of"
            + " statement execution per firing%n",
        name,
        r.firings(),
        seconds,
        r.p().statements(),
        r.p().lockAcquisitions(),
        r.p().executionMillis());
    return r;
  }

  private static AutoCloseable baton(DataSource ds, int tasks) {
    BatonContender.defaults().createSchema(ds);
    Baton baton = Baton.builder(ds).nodeId("cron").start();
    List<Task> all = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      all.add(Task.named("cron-" + i).cron(QUARTZ_CRON).runs(BenchJob.class).build());
    }
    baton.register(all);
    return baton;
  }

  private static AutoCloseable stockQuartz(DataSource ds, int tasks) throws Exception {
    StockQuartzContender quartz = new StockQuartzContender();
    quartz.createSchema(ds);
    QuartzJobs.scheduleStockCron(ds, StockQuartzContender.NAME, tasks);
    return quartz.startNode(ds, "cron");
  }

  private static AutoCloseable dbScheduler(DataSource ds, int tasks) throws Exception {
    new DbSchedulerContender(false).createSchema(ds);
    List<RecurringTask<Void>> recurring = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      recurring.add(
          Tasks.recurring("cron-" + i, Schedules.cron(DB_SCHEDULER_CRON))
              .execute(
                  (instance, ctx) ->
                      Executions.current()
                          .ranLate(
                              System.currentTimeMillis()
                                  - ctx.getExecution().executionTime.toEpochMilli())));
    }
    Scheduler s =
        Scheduler.create(ds)
            .startTasks(recurring)
            .threads(10)
            // Its default 10 s polling would run an every-second task every 10 s.
            .pollingInterval(Duration.ofSeconds(1))
            .schedulerName(new SchedulerName.Fixed("cron"))
            .build();
    s.start();
    return s::stop;
  }
}
