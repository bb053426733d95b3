package dev.baton.bench;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.SchemaMigrator;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.Run;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Baton with its defaults (10 threads), or with a variation applied to the builder, e.g. {@code new
 * BatonContender("Baton without history", b -> b.history(false))}; its one-off work is a task per
 * job, or ({@link #runs()}) runs of one on-demand task.
 */
final class BatonContender implements SchedulerContender {
  static final String CLUSTER = "baton";

  /** The on-demand task whose runs are the one-off jobs of {@link #runs()}. */
  static final String RUNS_TASK = "job";

  private static final Task RUNS = Task.named(RUNS_TASK).onDemand().runs(BenchJob.class).build();

  private final String name;
  private final UnaryOperator<BatonBuilder> variation;
  private final int poolSize;
  private final boolean asRuns;

  BatonContender(String name, UnaryOperator<BatonBuilder> variation) {
    this(name, variation, 16, false);
  }

  BatonContender(String name, UnaryOperator<BatonBuilder> variation, int poolSize) {
    this(name, variation, poolSize, false);
  }

  private BatonContender(
      String name, UnaryOperator<BatonBuilder> variation, int poolSize, boolean asRuns) {
    this.name = name;
    this.variation = variation;
    this.poolSize = poolSize;
    this.asRuns = asRuns;
  }

  /**
   * Baton with each one-off job a {@link Run} of one on-demand task ({@code submit}): a trigger row
   * per job and no job row, as db-scheduler's task instances and JobRunr's jobs.
   */
  static BatonContender runs() {
    return new BatonContender("Baton runs", UnaryOperator.identity(), 16, true);
  }

  /** Whether its one-off jobs are runs of one on-demand task ({@link #runs()}). */
  boolean asRuns() {
    return asRuns;
  }

  /** One-off tasks {@code prefix0}… due at {@code due}. */
  private static List<Task> oneOffTasks(String prefix, int n, Instant due) {
    List<Task> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++)
      out.add(Task.named(prefix + i).once(due).runs(BenchJob.class).build());
    return out;
  }

  /** Runs with ids {@code prefix0}… due at {@code at} (null for now). */
  private static List<Run> runs(String prefix, int n, Instant at) {
    List<Run> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(Run.of(RUNS_TASK).id(prefix + i).at(at).build());
    return out;
  }

  @Override
  public int poolSize() {
    return poolSize;
  }

  /** Baton exactly as an application gets it from {@code Baton.builder(pool).start()}. */
  static BatonContender defaults() {
    return new BatonContender("Baton", UnaryOperator.identity());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void createSchema(DataSource ds) {
    new SchemaMigrator(Database.connect(ds, Duration.ofSeconds(30)), "QRTZ_").migrate();
  }

  @Override
  public void scheduleOneOffJobs(DataSource ds, int jobs) throws Exception {
    if (!asRuns) {
      QuartzJobs.scheduleBaton(ds, CLUSTER, jobs);
      return;
    }
    // Through a node in standby, as an application submits them.
    try (Baton loader = Baton.builder(ds).nodeId("loader").task(RUNS).build()) {
      List<Run> runs = runs("", jobs, null);
      if (loader.submit(runs).stream().anyMatch(r -> r != Registration.CREATED))
        throw new IllegalStateException("not every run was submitted");
    }
  }

  /**
   * Registers the tasks through a Baton node in standby (as an application does), then closes it:
   * aligned with the task DSL ({@code every}, which starts now), spread with the Quartz API.
   */
  @Override
  public void scheduleRecurring(DataSource ds, int tasks, boolean spread) throws Exception {
    BatonBuilder b = Baton.builder(ds).nodeId("loader");
    if (!spread) {
      for (int i = 0; i < tasks; i++) {
        b.task(
            Task.named("rec-" + i)
                .every(Duration.ofSeconds(1 + i % 5))
                .runs(BenchJob.class)
                .build());
      }
    }
    try (Baton loader = b.build()) {
      if (!spread) return;
      long now = System.currentTimeMillis();
      for (int i = 0; i < tasks; i++) {
        org.quartz.JobDetail job =
            org.quartz.JobBuilder.newJob(BenchJob.class).withIdentity("rec-" + i, "bench").build();
        loader.quartz().scheduleJob(job, QuartzJobs.recurringTrigger(i, job, now, true));
      }
    }
  }

  /**
   * {@code baton.register(Collection<Task>)}, or {@code submit(List<Run>)} for {@link #runs()}, in
   * one call on a started node (default settings).
   */
  @Override
  public double registerOneOff(DataSource ds, int tasks) {
    return registerInBatches(ds, 1, tasks)[0];
  }

  /** One call per batch, each batch's tasks (or runs) built before its timing. */
  @Override
  public double[] registerInBatches(DataSource ds, int batches, int size) {
    Instant due = Instant.now().plus(Duration.ofDays(1));
    double[] seconds = new double[batches];
    BatonBuilder builder = variation.apply(Baton.builder(ds).nodeId("registrar"));
    try (Baton baton = (asRuns ? builder.task(RUNS) : builder).start()) {
      for (int b = 0; b < batches; b++) {
        String prefix = "reg-" + b + "-";
        List<Run> runs = asRuns ? runs(prefix, size, due) : List.of();
        List<Task> tasks = asRuns ? List.of() : oneOffTasks(prefix, size, due);
        long start = System.nanoTime();
        long stored =
            asRuns
                ? baton.submit(runs).stream().filter(r -> r == Registration.CREATED).count()
                : baton.register(tasks).size();
        seconds[b] = (System.nanoTime() - start) / 1e9;
        if (stored != size) throw new IllegalStateException(stored + " of " + size + " stored");
      }
    }
    return seconds;
  }

  @Override
  public AutoCloseable startNode(DataSource ds, String nodeId) {
    return variation.apply(Baton.builder(ds).nodeId(nodeId)).start();
  }
}
