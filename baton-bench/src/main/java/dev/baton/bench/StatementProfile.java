package dev.baton.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * The statement profile of each PostgreSQL throughput run: PostgreSQL's {@code pg_stat_statements}
 * counts every statement a contender sends while it drains; the report shows statements per job and
 * {@code QRTZ_LOCKS ... FOR UPDATE} calls per job (cluster-lock acquisitions of the Quartz-based
 * contenders), and stdout the statements that took the most execution time. On by default:
 * pg_stat_statements only counts, which costs every contender alike and little; {@code
 * -Dbench.statements=false} turns it off.
 */
final class StatementProfile {
  static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("bench.statements", "true"));

  /**
   * Per job: statements, {@code QRTZ_LOCKS ... FOR UPDATE} calls, and ms of statement execution.
   */
  record Profile(double statements, double lockAcquisitions, double executionMillis) {
    static final Profile NONE = new Profile(Double.NaN, Double.NaN, Double.NaN);
  }

  private StatementProfile() {}

  static void reset(BenchDatabase db, String url) throws Exception {
    if (!db.profiles()) return;
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  static Profile measure(BenchDatabase db, String url, String contender, int nodes, int jobs)
      throws Exception {
    if (!db.profiles()) return Profile.NONE;
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        Statement s = c.createStatement()) {
      String mine =
          " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname ="
              + " current_database()) AND query NOT LIKE '%pg_stat_statements%'";
      Profile p;
      // Quartz's row lock: SELECT * FROM QRTZ_LOCKS WHERE SCHED_NAME = $1 AND LOCK_NAME = ? FOR
      // UPDATE.
      try (ResultSet rs =
          s.executeQuery(
              "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query"
                  + " ILIKE '%FROM qrtz_locks%FOR UPDATE%'), 0), coalesce(sum(total_exec_time), 0)"
                  + mine)) {
        rs.next();
        p =
            new Profile(
                rs.getLong(1) / (double) jobs,
                rs.getLong(2) / (double) jobs,
                rs.getDouble(3) / jobs);
      }
      System.out.printf(
          Locale.ROOT,
          "%s, %d node(s): %.2f statements, %.3f QRTZ_LOCKS FOR UPDATE and %.2f ms of"
              + " statement execution per job%n",
          contender,
          nodes,
          p.statements(),
          p.lockAcquisitions(),
          p.executionMillis());
      try (ResultSet rs =
          s.executeQuery(
              "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 140)"
                  + mine
                  + " ORDER BY total_exec_time DESC LIMIT "
                  + Integer.getInteger("bench.statements.top", 12))) {
        while (rs.next()) {
          System.out.printf(
              Locale.ROOT,
              "  %6.2f/job %7.3f ms/job  %s%n",
              rs.getLong(1) / (double) jobs,
              rs.getDouble(2) / jobs,
              rs.getString(3));
        }
      }
      return p;
    }
  }
}
