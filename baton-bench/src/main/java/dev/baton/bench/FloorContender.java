package dev.baton.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The floor: the least SQL that drains the same one-off jobs on the same database, so a table shows
 * how far each scheduler is from what the machine can do. One table (id, due time, primary key and
 * a due index); 10 threads per node, each claiming up to {@value #BATCH} due rows {@code FOR UPDATE
 * SKIP LOCKED}, running them, deleting them in one statement and committing once: one durable
 * commit per batch. Jobs run before that commit (at least once, as a crash would show). No history,
 * no failure detection, no recovery: not a scheduler, a bound.
 */
final class FloorContender implements SchedulerContender {
  private static final int THREADS = 10;
  private static final int BATCH = 10;

  @Override
  public String name() {
    return "floor (SKIP LOCKED claim + batch delete)";
  }

  @Override
  public void createSchema(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE floor_jobs (id BIGINT PRIMARY KEY, due BIGINT NOT NULL)");
      s.execute("CREATE INDEX floor_jobs_due ON floor_jobs (due)");
    }
  }

  @Override
  public void scheduleOneOffJobs(DataSource ds, int jobs) throws Exception {
    long now = System.currentTimeMillis();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO floor_jobs VALUES (?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < jobs; i++) {
        ps.setLong(1, i);
        ps.setLong(2, now);
        ps.addBatch();
        if (i % 1000 == 999) ps.executeBatch();
      }
      ps.executeBatch();
      c.commit();
    }
  }

  @Override
  public AutoCloseable startNode(DataSource ds, String nodeId) {
    List<Thread> threads = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    for (int t = 0; t < THREADS; t++) {
      Thread thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    if (drainOnce(ds) == 0) Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  } catch (SQLException e) {
                    System.err.println("floor " + nodeId + ": " + e);
                  }
                }
              },
              "floor-" + nodeId + "-" + t);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    return () -> {
      stop.set(true);
      for (Thread t : threads) t.interrupt();
      for (Thread t : threads) t.join(10_000);
    };
  }

  /** One batch: claim, run, delete, commit; returns how many ran. */
  private static int drainOnce(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      // As Baton's scheduler connections on MySQL: no gap locks (at InnoDB's default REPEATABLE
      // READ, concurrent claims and deletes wait on each other's gaps); PostgreSQL's default.
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      List<Long> ids = new ArrayList<>(BATCH);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id FROM floor_jobs WHERE due <= ? ORDER BY due LIMIT "
                  + BATCH
                  + " FOR UPDATE SKIP LOCKED")) {
        ps.setLong(1, System.currentTimeMillis());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) ids.add(rs.getLong(1));
        }
      }
      if (ids.isEmpty()) {
        c.commit();
        return 0;
      }
      for (long id : ids) Executions.current().ran((int) id);
      StringBuilder delete = new StringBuilder("DELETE FROM floor_jobs WHERE id IN (");
      for (int i = 0; i < ids.size(); i++) delete.append(i == 0 ? "?" : ", ?");
      try (PreparedStatement ps = c.prepareStatement(delete.append(")").toString())) {
        for (int i = 0; i < ids.size(); i++) ps.setLong(i + 1, ids.get(i));
        ps.executeUpdate();
      }
      c.commit();
      return ids.size();
    }
  }
}
