package dev.baton.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * db-scheduler 16 with its default polling ({@code fetch-and-lock-on-execute}) or with {@code
 * lock-and-fetch} ({@code SELECT ... FOR UPDATE SKIP LOCKED}), 10 threads per node.
 */
final class DbSchedulerContender implements SchedulerContender {
  private static final OneTimeTask<Void> NOOP =
      Tasks.oneTime("bench-noop")
          .execute((instance, ctx) -> Executions.current().ran(Integer.parseInt(instance.getId())));

  private final boolean lockAndFetch;

  DbSchedulerContender(boolean lockAndFetch) {
    this.lockAndFetch = lockAndFetch;
  }

  @Override
  public String name() {
    return lockAndFetch
        ? "db-scheduler 16.7.1 lock-and-fetch"
        : "db-scheduler 16.7.1 polling (default)";
  }

  /** The PostgreSQL or MySQL/MariaDB table from db-scheduler's README. */
  @Override
  public void createSchema(DataSource ds) throws Exception {
    if (!BenchDatabase.isPostgres(ds)) {
      createMySqlSchema(ds);
      return;
    }
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
              + " task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN"
              + " NOT NULL, picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE, last_failure"
              + " TIMESTAMP WITH TIME ZONE, consecutive_failures INT, last_heartbeat TIMESTAMP WITH"
              + " TIME ZONE, version BIGINT NOT NULL, priority SMALLINT, PRIMARY KEY (task_name,"
              + " task_instance))");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute(
          "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC,"
              + " execution_time ASC)");
    }
  }

  private static void createMySqlSchema(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE scheduled_tasks (task_name VARCHAR(100) NOT NULL, task_instance"
              + " VARCHAR(100) NOT NULL, task_data BLOB, execution_time TIMESTAMP(6) NOT NULL,"
              + " picked BOOLEAN NOT NULL, picked_by VARCHAR(50), last_success TIMESTAMP(6) NULL,"
              + " last_failure TIMESTAMP(6) NULL, consecutive_failures INT, last_heartbeat"
              + " TIMESTAMP(6) NULL, version BIGINT NOT NULL, priority SMALLINT, PRIMARY KEY"
              + " (task_name, task_instance), INDEX execution_time_idx (execution_time), INDEX"
              + " last_heartbeat_idx (last_heartbeat), INDEX priority_execution_time_idx (priority"
              + " DESC, execution_time ASC))");
    }
  }

  /** One {@code SchedulerClient.schedule} call per instance, as the baseline measured. */
  @Override
  public double registerOneOff(DataSource ds, int tasks) {
    SchedulerClient client = SchedulerClient.Builder.create(ds, NOOP).build();
    Instant due = Instant.now().plus(Duration.ofDays(1));
    List<TaskInstance<Void>> instances = new ArrayList<>();
    for (int i = 0; i < tasks; i++) instances.add(NOOP.instance("reg-" + i));
    long start = System.nanoTime();
    for (TaskInstance<Void> instance : instances) client.schedule(instance, due);
    return (System.nanoTime() - start) / 1e9;
  }

  /** One {@code SchedulerClient.schedule} call per instance, batch after batch. */
  @Override
  public double[] registerInBatches(DataSource ds, int batches, int size) {
    SchedulerClient client = SchedulerClient.Builder.create(ds, NOOP).build();
    Instant due = Instant.now().plus(Duration.ofDays(1));
    double[] seconds = new double[batches];
    for (int b = 0; b < batches; b++) {
      List<TaskInstance<Void>> instances = new ArrayList<>(size);
      for (int i = 0; i < size; i++) instances.add(NOOP.instance("reg-" + b + "-" + i));
      long start = System.nanoTime();
      for (TaskInstance<Void> instance : instances) client.schedule(instance, due);
      seconds[b] = (System.nanoTime() - start) / 1e9;
    }
    return seconds;
  }

  @Override
  public void scheduleOneOffJobs(DataSource ds, int jobs) {
    SchedulerClient client = SchedulerClient.Builder.create(ds, NOOP).build();
    Instant now = Instant.now();
    for (int from = 0; from < jobs; from += 1000) {
      List<TaskInstance<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(jobs, from + 1000); i++)
        batch.add(NOOP.instance(Integer.toString(i)));
      client.scheduleBatch(batch, now);
    }
  }

  @Override
  public AutoCloseable startNode(DataSource ds, String nodeId) {
    SchedulerBuilder b =
        Scheduler.create(ds, NOOP).threads(10).schedulerName(new SchedulerName.Fixed(nodeId));
    if (lockAndFetch) b.pollUsingLockAndFetch(0.5, 1.0);
    Scheduler s = b.build();
    s.start();
    return s::stop;
  }
}
