package dev.baton.internal.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Deletes old history: finished entries that started before the retention period, then the oldest
 * finished entries beyond the row limit. RUNNING entries are never deleted and not counted. Each
 * step is one set-based statement; the row limit's cutoff is found first with an indexed keyset
 * read, because MySQL cannot delete from a table with a LIMIT subquery on the same table.
 */
public final class HistoryRetention {
  /** Where a node keeps its retention in its Quartz scheduler context, for the clean-up job. */
  static final String CONTEXT_KEY = "baton.historyRetention";

  /** What one clean-up deleted. */
  public record Result(int byAge, int byRows) {}

  private final DataSource dataSource;
  private final HistorySql sql;
  private final String cluster;
  private final Duration retention;
  private final long maxRows;

  public HistoryRetention(
      DataSource dataSource, HistorySql sql, String cluster, Duration retention, long maxRows) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.cluster = cluster;
    this.retention = retention;
    this.maxRows = maxRows;
  }

  Duration retention() {
    return retention;
  }

  long maxRows() {
    return maxRows;
  }

  public Result cleanUp(long nowMillis) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      int byAge;
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM "
                  + sql.table
                  + " WHERE SCHED_NAME = ? AND START_TIME < ?"
                  + " AND OUTCOME <> 'RUNNING'")) {
        ps.setString(1, cluster);
        ps.setLong(2, nowMillis - retention.toMillis());
        byAge = ps.executeUpdate();
      }
      return new Result(byAge, deleteBeyondMaxRows(c));
    }
  }

  private int deleteBeyondMaxRows(Connection c) throws SQLException {
    long cutoffStart;
    String cutoffId;
    // The newest finished entry that no longer fits: it and everything older goes.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT START_TIME, ID FROM "
                + sql.table
                + " WHERE SCHED_NAME = ?"
                + " AND OUTCOME <> 'RUNNING' ORDER BY START_TIME DESC, ID DESC LIMIT 1 OFFSET ?")) {
      ps.setString(1, cluster);
      ps.setLong(2, maxRows);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return 0;
        cutoffStart = rs.getLong(1);
        cutoffId = rs.getString(2);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + sql.table
                + " WHERE SCHED_NAME = ? AND OUTCOME <> 'RUNNING'"
                + " AND (START_TIME < ? OR (START_TIME = ? AND ID <= ?))")) {
      ps.setString(1, cluster);
      ps.setLong(2, cutoffStart);
      ps.setLong(3, cutoffStart);
      ps.setString(4, cutoffId);
      return ps.executeUpdate();
    }
  }
}
