package dev.baton.consumer;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The smallest application on Baton: a node on an in-memory H2 database with one task, which exits
 * 0 once the task has fired and the node has stopped, and 1 when no firing came within a minute.
 */
public final class FirstFiring {
  private static final long PATIENCE_SECONDS = 60;

  private FirstFiring() {}

  public static void main(String[] args) throws Exception {
    JdbcConnectionPool pool =
        JdbcConnectionPool.create("jdbc:h2:mem:consumer;DB_CLOSE_DELAY=-1", "sa", "");
    // Quartz's 4 workers and 3 threads of its own, Baton's housekeeping, and room to spare.
    pool.setMaxConnections(12);
    boolean fired;
    String nodeId;
    try (Baton baton =
        Baton.builder(pool)
            .threads(4)
            .task(Task.named("hello").every(Duration.ofMillis(500)).runs(HelloJob.class).build())
            .start()) {
      nodeId = baton.nodeId();
      fired = HelloJob.FIRED.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } finally {
      pool.dispose();
    }
    if (!fired) {
      System.err.println("consumer: task hello did not fire within " + PATIENCE_SECONDS + " s");
      System.exit(1);
    }
    System.out.println("consumer: task hello fired on node " + nodeId + "; node stopped");
  }
}
