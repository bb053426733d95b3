package dev.baton.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.quartz.Scheduler;

/**
 * Stock Quartz 2.5.2, clustered, with Quartz's own PostgreSQL DDL and defaults ({@link
 * StockQuartz}).
 */
final class StockQuartzContender implements SchedulerContender {
  static final String NAME = "bench";

  @Override
  public String name() {
    return "Quartz 2.5.2";
  }

  @Override
  public int maxNodes() {
    return 2;
  }

  @Override
  public void createSchema(DataSource ds) throws Exception {
    String ddl;
    try (var in =
        Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder sql = new StringBuilder();
    for (String line : ddl.split("\n")) {
      if (!line.trim().startsWith("--")) sql.append(line).append('\n');
    }
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql.toString().split(";")) {
        String t = statement.trim();
        if (!t.isEmpty() && !t.equalsIgnoreCase("commit")) s.execute(t);
      }
    }
  }

  @Override
  public void scheduleOneOffJobs(DataSource ds, int jobs) throws Exception {
    QuartzJobs.scheduleStock(ds, NAME, jobs, false);
  }

  @Override
  public void scheduleRecurring(DataSource ds, int tasks, boolean spread) throws Exception {
    QuartzJobs.scheduleStockRecurring(ds, NAME, tasks, spread);
  }

  @Override
  public AutoCloseable startNode(DataSource ds, String nodeId) throws Exception {
    Scheduler s = StockQuartz.create(ds, StockQuartz.properties(NAME, nodeId, "x", true));
    s.start();
    return () -> s.shutdown(true);
  }
}
