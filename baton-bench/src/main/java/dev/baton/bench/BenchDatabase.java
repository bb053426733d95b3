package dev.baton.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A database server for scheduler benchmark runs: a fresh database per contender-run, a pool per
 * node, and a description of its version and durability settings for the report.
 */
interface BenchDatabase extends AutoCloseable {
  /** Version and durability settings as the server reports them, for the report. */
  String description();

  /** Whether {@link StatementProfile} (pg_stat_statements) can count this server's statements. */
  boolean profiles();

  /** Creates an empty database and returns its JDBC URL. */
  String freshDatabase(String label) throws Exception;

  /** A pool of {@code size} connections on {@code url}; closed by {@link #closePools()}. */
  DataSource pool(String url, int size);

  /**
   * Closes every pool made so far, between contender-runs (and drops databases no longer needed).
   */
  void closePools();

  static boolean isPostgres(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
  }

  /**
   * Refreshes the planner statistics of every table, as autovacuum (PostgreSQL) or InnoDB's
   * automatic recalculation would have them shortly after a bulk insert.
   */
  static void analyze(DataSource ds) throws SQLException {
    boolean postgres = isPostgres(ds);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      if (postgres) {
        s.execute("ANALYZE");
        return;
      }
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) s.execute("ANALYZE TABLE `" + t + "`");
    }
  }
}
