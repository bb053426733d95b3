package dev.baton.bench;

import dev.baton.scheduling.MisfirePolicy;
import dev.baton.scheduling.Task;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Bulk-stores one-off {@link BenchJob}s through Quartz's own {@code scheduleJobs} (a transaction
 * per 2,000 jobs), on an unstarted, unclustered scheduler of the same name. Used for the setup of
 * both Quartz-based contenders; setup time is not measured.
 */
final class QuartzJobs {
  private static final int CHUNK = 2_000;

  private QuartzJobs() {}

  /** Stock Quartz one-off jobs: a non-durable job and a fire-once trigger each. */
  static void scheduleStock(DataSource ds, String schedulerName, int jobs, boolean useProperties)
      throws Exception {
    Date now = new Date();
    store(
        ds,
        schedulerName,
        oneTriggerEach(
            "job-",
            jobs,
            (i, job) ->
                trigger(job)
                    .startAt(now)
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule())
                    .build()),
        useProperties);
  }

  /**
   * Stock Quartz recurring jobs {@code rec-<i>}: every {@code 1 + i % 5} s, starting now or spread.
   */
  static void scheduleStockRecurring(DataSource ds, String schedulerName, int tasks, boolean spread)
      throws Exception {
    long now = System.currentTimeMillis();
    store(
        ds,
        schedulerName,
        oneTriggerEach("rec-", tasks, (i, job) -> recurringTrigger(i, job, now, spread)),
        false);
  }

  /** Stock Quartz cron jobs {@code cron-<i>}, each firing every second. */
  static void scheduleStockCron(DataSource ds, String schedulerName, int tasks) throws Exception {
    store(
        ds,
        schedulerName,
        oneTriggerEach(
            "cron-",
            tasks,
            (i, job) ->
                trigger(job)
                    .withSchedule(CronScheduleBuilder.cronSchedule(RecurringBench.QUARTZ_CRON))
                    .build()),
        false);
  }

  /** Jobs {@code <prefix><i>} of group {@code bench}, each with the one trigger made for it. */
  private static Map<JobDetail, Set<? extends Trigger>> oneTriggerEach(
      String prefix, int n, BiFunction<Integer, JobDetail, Trigger> made) {
    Map<JobDetail, Set<? extends Trigger>> all = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      JobDetail job = JobBuilder.newJob(BenchJob.class).withIdentity(prefix + i, "bench").build();
      all.put(job, Set.of(made.apply(i, job)));
    }
    return all;
  }

  /** A trigger named and grouped as its job, for it. */
  private static TriggerBuilder<Trigger> trigger(JobDetail job) {
    return TriggerBuilder.newTrigger()
        .withIdentity(job.getKey().getName(), job.getKey().getGroup())
        .forJob(job);
  }

  /**
   * Recurring job {@code i}'s trigger: every {@code 1 + i % 5} s from now, or from its phase after
   * now.
   */
  static Trigger recurringTrigger(int i, JobDetail job, long now, boolean spread) {
    return trigger(job)
        .startAt(new Date(spread ? now + phaseMillis(i) : now))
        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1 + i % 5))
        .build();
  }

  /** Where in its period recurring job {@code i} starts when spread: fixed, evenly scattered. */
  static long phaseMillis(int i) {
    return (i * 7919L) % ((1 + i % 5) * 1000L);
  }

  /**
   * Baton one-off tasks ({@code Task.named("job-i").once(now).runs(BenchJob.class)}) stored as
   * Baton stores them: a durable job in group {@code baton} carrying the schedule and misfire
   * policy as string data, and a fire-once trigger with the fire-now misfire instruction.
   */
  static void scheduleBaton(DataSource ds, String clusterName, int jobs) throws Exception {
    Map<JobDetail, Set<? extends Trigger>> all = new LinkedHashMap<>();
    Instant now = Instant.now();
    for (int i = 0; i < jobs; i++) {
      Task task = Task.named("job-" + i).once(now).runs(BenchJob.class).build();
      JobDetail job =
          JobBuilder.newJob(BenchJob.class)
              .withIdentity(task.name(), "baton")
              .usingJobData("baton.schedule", task.schedule().spec())
              .usingJobData("baton.misfire", MisfirePolicy.FIRE_ONCE_NOW.name())
              .storeDurably()
              .build();
      all.put(
          job,
          Set.of(
              trigger(job)
                  .startAt(Date.from(now))
                  .withSchedule(
                      SimpleScheduleBuilder.simpleSchedule()
                          .withMisfireHandlingInstructionFireNow())
                  .build()));
    }
    store(ds, clusterName, all, true);
  }

  private static void store(
      DataSource ds,
      String schedulerName,
      Map<JobDetail, Set<? extends Trigger>> all,
      boolean useProperties)
      throws Exception {
    var props = StockQuartz.properties(schedulerName, "loader", "x", false);
    props.setProperty("org.quartz.jobStore.useProperties", Boolean.toString(useProperties));
    if (!BenchDatabase.isPostgres(ds)) {
      props.setProperty(
          "org.quartz.jobStore.driverDelegateClass",
          "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    }
    Scheduler loader = StockQuartz.create(ds, props);
    try {
      // In transactions of CHUNK jobs with ANALYZE between them: without statistics PostgreSQL
      // plans Quartz's existence checks as scans of the whole group, and one 20,000-job
      // transaction then takes minutes.
      Map<JobDetail, Set<? extends Trigger>> chunk = new LinkedHashMap<>();
      for (Map.Entry<JobDetail, Set<? extends Trigger>> e : all.entrySet()) {
        chunk.put(e.getKey(), e.getValue());
        if (chunk.size() == CHUNK) {
          loader.scheduleJobs(chunk, false);
          chunk.clear();
          BenchDatabase.analyze(ds);
        }
      }
      if (!chunk.isEmpty()) loader.scheduleJobs(chunk, false);
    } finally {
      loader.shutdown(false);
    }
  }
}
