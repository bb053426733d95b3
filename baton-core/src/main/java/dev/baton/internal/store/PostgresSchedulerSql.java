package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 13+: row locks that leave the type tables' foreign-key checks alone, the real time at
 * evaluation, sets of values bound as one array (a statement text planned once, whatever the set's
 * size), and planner statistics refreshed where the tables have outgrown them.
 */
final class PostgresSchedulerSql extends SchedulerSql {
  private static final Logger log = LoggerFactory.getLogger(PostgresSchedulerSql.class);

  /** Pages a table grows by, beyond double its analyzed size, before it is analyzed again. */
  private static final long OUTGROWN_PAGES = 8;

  private final String nextToken;

  PostgresSchedulerSql(String tablePrefix) {
    // NO KEY UPDATE: the type tables' foreign-key checks take KEY SHARE locks, which it allows.
    super(
        tablePrefix,
        " FOR NO KEY UPDATE SKIP LOCKED",
        " FOR NO KEY UPDATE OF T SKIP LOCKED",
        " FOR NO KEY UPDATE OF T");
    nextToken = "SELECT nextval('" + t("BATON_EXECUTION_TOKENS") + "')";
  }

  @Override
  public String nowMicros() {
    // clock_timestamp(): the real time at evaluation, not the transaction's start.
    return "SELECT CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000) AS BIGINT)";
  }

  /** One array: the statement's text is the same for any number of values. */
  @Override
  String among(String column, int n) {
    return column + " = ANY (?)";
  }

  @Override
  int bindAmong(PreparedStatement ps, int index, Collection<String> values) throws SQLException {
    ps.setArray(index, ps.getConnection().createArrayOf("varchar", values.toArray()));
    return index + 1;
  }

  /** The claim at the trigger name's place in the names: two arrays, one statement text. */
  @Override
  String claimOf(int n) {
    return "(CAST(? AS VARCHAR[]))[array_position(CAST(? AS VARCHAR[]), TRIGGER_NAME)]";
  }

  @Override
  int bindClaims(PreparedStatement ps, int index, List<String> names, List<String> claims)
      throws SQLException {
    ps.setArray(index, ps.getConnection().createArrayOf("varchar", claims.toArray()));
    ps.setArray(index + 1, ps.getConnection().createArrayOf("varchar", names.toArray()));
    return index + 2;
  }

  @Override
  long nextTokenBlock(Connection conn) throws SQLException {
    return single(conn, nextToken);
  }

  /**
   * Run when a node starts, after it registered its tasks. On a new database the tables have no
   * statistics until autovacuum first looks (a minute or more after enough rows changed), and
   * without them PostgreSQL answered the primary-key lookups of every firing by scanning all
   * triggers of the cluster, dead rows included: milliseconds per firing, growing with every one.
   */
  @Override
  public void refreshStatistics(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      analyze(c, "TRIGGERS", "SIMPLE_TRIGGERS", "CRON_TRIGGERS", "JOB_DETAILS", "FIRED_TRIGGERS");
    } catch (SQLException e) {
      log.warn(
          "Could not refresh planner statistics of the {}* tables: {}; autovacuum will",
          t(""),
          e.toString());
    }
  }

  /**
   * Each inserted trigger row's foreign-key check is a query whose plan PostgreSQL caches per
   * connection; planned while the tables were small it scans the whole parent table, so inserts
   * slowed down with every row stored (20,000 tasks in one call: two minutes instead of seconds; 40
   * calls of 500 into new tables: the last 18 times slower than the first). New statistics
   * invalidate the cached plans, which are then planned as index lookups. So before each chunk the
   * triggers table's size is compared with the size its statistics were taken at, and the tables
   * are analyzed when it has more than doubled since: a catalog read per chunk, and a number of
   * ANALYZE runs that grows with the logarithm of the rows stored.
   */
  @Override
  void refreshStatisticsIfOutgrown(Connection conn) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT relpages, pg_relation_size(oid) / current_setting('block_size')::int"
                + " FROM pg_class WHERE oid = to_regclass(?)")) {
      ps.setString(1, t("TRIGGERS"));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getLong(2) <= 2 * Math.max(0, rs.getLong(1)) + OUTGROWN_PAGES) return;
      }
    }
    analyze(conn, "JOB_DETAILS", "TRIGGERS", "SIMPLE_TRIGGERS", "CRON_TRIGGERS");
  }
}
