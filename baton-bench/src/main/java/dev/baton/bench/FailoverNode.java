package dev.baton.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.scheduling.Task;
import java.time.Instant;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;

/**
 * A child JVM of the failover run: {@code java -cp baton-bench.jar dev.baton.bench.FailoverNode
 * baton|quartz <jdbcUrl> <nodeId> schedule|join}. Starts one node with its defaults, prints {@code
 * READY}; with {@code schedule} it also stores the recoverable {@link LongJob}, due now. Runs until
 * killed.
 */
public final class FailoverNode {
  static volatile String nodeId = "?";

  private FailoverNode() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    nodeId = args[2];
    boolean schedule = args[3].equals("schedule");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[1]);
    config.setMaximumPoolSize(16);
    HikariDataSource ds = new HikariDataSource(config);
    if (kind.equals("baton")) {
      BatonBuilder b = Baton.builder(ds).nodeId(nodeId);
      if (schedule)
        b.task(Task.named("long").once(Instant.now()).runs(LongJob.class).recoverable().build());
      b.start();
    } else {
      Scheduler s =
          StockQuartz.create(
              ds, StockQuartz.properties(StockQuartzContender.NAME, nodeId, "x", true));
      s.start();
      if (schedule) {
        JobDetail job =
            JobBuilder.newJob(LongJob.class)
                .withIdentity("long", "bench")
                .requestRecovery()
                .build();
        s.scheduleJob(
            job, TriggerBuilder.newTrigger().withIdentity("long", "bench").startNow().build());
      }
    }
    System.out.println("READY " + nodeId);
    System.out.flush();
    Thread.currentThread().join();
  }
}
