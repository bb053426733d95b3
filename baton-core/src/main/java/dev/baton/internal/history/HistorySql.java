package dev.baton.internal.history;

import dev.baton.history.Execution;
import dev.baton.history.Outcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

/**
 * The history table's SQL. Every statement here is portable across H2 2, PostgreSQL 13+ and MySQL 8
 * / MariaDB 10.6 (only the DDL differs, in each dialect's migration), so there is no per-dialect
 * class. Row-count retention avoids MySQL's ban on a subquery of the table being deleted from by
 * finding its cutoff first.
 */
public final class HistorySql {
  static final String COLUMNS =
      "ID, JOB_NAME, JOB_GROUP, TRIGGER_NAME, TRIGGER_GROUP, SCHEDULED_TIME, START_TIME, END_TIME,"
          + " DURATION_MS, NODE_ID, OUTCOME, REFIRE_COUNT, RECOVERY, FENCING_TOKEN, ERROR_CLASS,"
          + " MESSAGE, STACK_TRACE, DETAILS, LOG_TEXT";

  /** Parameters of one inserted row. */
  static final int INSERT_WIDTH = 20;

  final String table;
  private final String insertHead;
  final String update;
  final String abandon;

  public HistorySql(String prefix) {
    this.table = prefix + "BATON_HISTORY";
    this.insertHead = "INSERT INTO " + table + " (" + COLUMNS + ", SCHED_NAME) VALUES ";
    // The start row already holds the identity columns; the update writes what the end decides.
    // The outcome is overwritten even when ABANDONED: a node wrongly declared dead that finishes
    // after all knows better than the survivors did.
    this.update =
        "UPDATE "
            + table
            + " SET END_TIME = ?, DURATION_MS = ?, OUTCOME = ?, FENCING_TOKEN = ?,"
            + " ERROR_CLASS = ?, MESSAGE = ?, STACK_TRACE = ?, DETAILS = ?, LOG_TEXT = ?"
            + " WHERE SCHED_NAME = ? AND ID = ?";
    this.abandon =
        "UPDATE "
            + table
            + " SET OUTCOME = 'ABANDONED' WHERE SCHED_NAME = ? AND OUTCOME = 'RUNNING'"
            + " AND NODE_ID = ?";
  }

  /** An insert of {@code rows} rows in one statement. */
  String insert(int rows) {
    String one = "(" + String.join(", ", Collections.nCopies(INSERT_WIDTH, "?")) + ")";
    return insertHead + String.join(", ", Collections.nCopies(rows, one));
  }

  /** Binds one row of {@link #insert}, its parameters following parameter {@code before}. */
  static void bindInsert(PreparedStatement ps, int before, Row r, String cluster)
      throws SQLException {
    int i = before;
    ps.setString(++i, r.id());
    ps.setString(++i, r.job());
    ps.setString(++i, r.jobGroup());
    ps.setString(++i, r.trigger());
    ps.setString(++i, r.triggerGroup());
    setLong(ps, ++i, r.scheduled());
    ps.setLong(++i, r.start());
    setLong(ps, ++i, r.end());
    setLong(ps, ++i, r.durationMillis());
    ps.setString(++i, r.node());
    ps.setString(++i, r.outcome().name());
    ps.setInt(++i, r.refireCount());
    ps.setBoolean(++i, r.recovery());
    setLong(ps, ++i, r.fencingToken());
    ps.setString(++i, r.errorClass());
    ps.setString(++i, r.message());
    ps.setString(++i, r.stackTrace());
    ps.setString(++i, r.details());
    ps.setString(++i, r.log());
    ps.setString(++i, cluster);
  }

  static void bindUpdate(PreparedStatement ps, Row r, String cluster) throws SQLException {
    setLong(ps, 1, r.end());
    setLong(ps, 2, r.durationMillis());
    ps.setString(3, r.outcome().name());
    setLong(ps, 4, r.fencingToken());
    ps.setString(5, r.errorClass());
    ps.setString(6, r.message());
    ps.setString(7, r.stackTrace());
    ps.setString(8, r.details());
    ps.setString(9, r.log());
    ps.setString(10, cluster);
    ps.setString(11, r.id());
  }

  /** Reads one row selected with {@link #COLUMNS}, in that order, starting at column 1. */
  static Execution read(ResultSet rs) throws SQLException {
    long start = rs.getLong(7);
    Long end = getLong(rs, 8);
    Long duration = getLong(rs, 9);
    return new Execution(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        instant(getLong(rs, 6)),
        Instant.ofEpochMilli(start),
        instant(end),
        duration == null ? null : Duration.ofMillis(duration),
        rs.getString(10),
        Outcome.valueOf(rs.getString(11)),
        rs.getInt(12),
        rs.getBoolean(13),
        getLong(rs, 14),
        rs.getString(15),
        rs.getString(16),
        rs.getString(17),
        Bounded.decode(rs.getString(18)),
        rs.getString(19));
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  private static Long getLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }
}
