package dev.baton.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * An exactly-once job writing one row per execution into the application table {@code effects} with
 * the transaction Baton gives it. Job data {@code mode}: {@code fail} throws after the write;
 * {@code hold} waits after the write until {@link #release} (telling {@link #held}).
 */
@ExactlyOnce
public class EffectJob implements Job {
  static final String TABLE =
      "CREATE TABLE effects (fire_id VARCHAR(200) PRIMARY KEY, token BIGINT, node VARCHAR(100))";

  static volatile CountDownLatch held = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  static void reset() {
    held = new CountDownLatch(1);
    release = new CountDownLatch(1);
  }

  @Override
  public void execute(JobExecutionContext ctx) throws JobExecutionException {
    Connection c = Executions.connection(ctx);
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO effects (fire_id, token, node) VALUES (?, ?, ?)")) {
      ps.setString(1, ctx.getFireInstanceId());
      ps.setLong(2, Executions.fencingToken(ctx).orElseThrow());
      ps.setString(3, ctx.getScheduler().getSchedulerInstanceId());
      ps.executeUpdate();
    } catch (Exception e) {
      throw new JobExecutionException(e);
    }
    String mode = ctx.getMergedJobDataMap().getString("mode");
    if ("fail".equals(mode)) throw new JobExecutionException("failed after its write");
    if ("hold".equals(mode)) {
      held.countDown();
      try {
        if (!release.await(60, TimeUnit.SECONDS)) throw new JobExecutionException("never released");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobExecutionException(e);
      }
    }
  }
}
