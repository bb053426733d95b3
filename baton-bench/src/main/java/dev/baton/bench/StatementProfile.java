package dev.baton.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * Profiling aid for the throughput run ({@code -Dbench.statements=true}): PostgreSQL's {@code
 * pg_stat_statements} counts every statement a contender sends while it drains, and this prints
 * statements and commits per job and the busiest statements. Off by default: it costs a little.
 */
final class StatementProfile {
  static final boolean ENABLED = Boolean.getBoolean("bench.statements");

  private StatementProfile() {}

  static void reset(String url) throws Exception {
    if (!ENABLED) return;
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  static void print(String url, String contender, int nodes, int jobs) throws Exception {
    if (!ENABLED) return;
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
      String mine = " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
          + " AND query NOT LIKE '%pg_stat_statements%'";
      try (ResultSet rs = s.executeQuery("SELECT sum(calls), sum(total_exec_time)" + mine)) {
        rs.next();
        System.out.printf(Locale.ROOT, "%s, %d node(s): %.1f statements and %.2f ms of statement execution per job%n",
            contender, nodes, rs.getLong(1) / (double) jobs, rs.getDouble(2) / jobs);
      }
      try (ResultSet rs = s.executeQuery("SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 140)"
          + mine + " ORDER BY calls DESC LIMIT 25")) {
        while (rs.next()) {
          System.out.printf(Locale.ROOT, "  %6.2f/job %7.3f ms/job  %s%n", rs.getLong(1) / (double) jobs,
              rs.getDouble(2) / jobs, rs.getString(3));
        }
      }
    }
  }
}
