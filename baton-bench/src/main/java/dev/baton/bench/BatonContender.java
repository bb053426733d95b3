package dev.baton.bench;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.SchemaMigrator;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Baton with its defaults (10 threads), or with a variation applied to the builder, e.g. {@code new
 * BatonContender("Baton without history", b -> b.history(false))}.
 */
final class BatonContender implements SchedulerContender {
  static final String CLUSTER = "baton";

  private final String name;
  private final UnaryOperator<BatonBuilder> variation;
  private final int poolSize;

  BatonContender(String name, UnaryOperator<BatonBuilder> variation) {
    this(name, variation, 16);
  }

  BatonContender(String name, UnaryOperator<BatonBuilder> variation, int poolSize) {
    this.name = name;
    this.variation = variation;
    this.poolSize = poolSize;
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
    QuartzJobs.scheduleBaton(ds, CLUSTER, jobs);
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
   * {@code baton.register(Collection<Task>)} on a started node (default settings, no tasks of its
   * own).
   */
  @Override
  public double registerOneOff(DataSource ds, int tasks) {
    Instant due = Instant.now().plus(Duration.ofDays(1));
    List<Task> all = new ArrayList<>();
    for (int i = 0; i < tasks; i++)
      all.add(Task.named("reg-" + i).once(due).runs(BenchJob.class).build());
    try (Baton baton = variation.apply(Baton.builder(ds).nodeId("registrar")).start()) {
      long start = System.nanoTime();
      int registered = baton.register(all).size();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (registered != tasks)
        throw new IllegalStateException(registered + " of " + tasks + " registered");
      return seconds;
    }
  }

  /**
   * One {@code register(Collection)} call per batch, each batch's tasks built before its timing.
   */
  @Override
  public double[] registerInBatches(DataSource ds, int batches, int size) {
    Instant due = Instant.now().plus(Duration.ofDays(1));
    double[] seconds = new double[batches];
    try (Baton baton = variation.apply(Baton.builder(ds).nodeId("registrar")).start()) {
      for (int b = 0; b < batches; b++) {
        List<Task> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
          batch.add(Task.named("reg-" + b + "-" + i).once(due).runs(BenchJob.class).build());
        long start = System.nanoTime();
        int registered = baton.register(batch).size();
        seconds[b] = (System.nanoTime() - start) / 1e9;
        if (registered != size)
          throw new IllegalStateException(registered + " of " + size + " registered");
      }
    }
    return seconds;
  }

  @Override
  public AutoCloseable startNode(DataSource ds, String nodeId) {
    return variation.apply(Baton.builder(ds).nodeId(nodeId)).start();
  }
}
