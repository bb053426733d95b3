package dev.baton.internal.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the planner statistics of the scheduler's busiest tables when a node starts, after it
 * registered its tasks. On a new PostgreSQL database the tables have none until autovacuum first
 * looks (a minute or more after enough rows changed), and without them PostgreSQL answered the
 * primary-key lookups of every firing by scanning all triggers of the cluster, dead rows included:
 * milliseconds per firing, growing with every firing. MySQL and MariaDB keep statistics
 * themselves; H2 plans by rule.
 */
public final class TableStatistics {
  private static final Logger log = LoggerFactory.getLogger(TableStatistics.class);
  private static final String[] TABLES = {
    "TRIGGERS", "SIMPLE_TRIGGERS", "CRON_TRIGGERS", "JOB_DETAILS", "FIRED_TRIGGERS"
  };

  private TableStatistics() {}

  /** Analyzes the tables on PostgreSQL; elsewhere does nothing. Never fails: statistics only help. */
  public static void refresh(Database database, String tablePrefix) {
    if (database.dialect() != Dialect.POSTGRESQL) return;
    StringBuilder sql = new StringBuilder("ANALYZE ");
    for (int i = 0; i < TABLES.length; i++) sql.append(i == 0 ? "" : ", ").append(tablePrefix).append(TABLES[i]);
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql.toString());
    } catch (SQLException e) {
      log.warn("Could not refresh planner statistics ({}): {}; autovacuum will", sql, e.toString());
    }
  }
}
