package dev.baton.internal.history;

import dev.baton.BatonException;
import dev.baton.history.ActivityCount;
import dev.baton.history.DuplicateFiring;
import dev.baton.history.Execution;
import dev.baton.history.ExecutionHistory;
import dev.baton.history.HistoryPage;
import dev.baton.history.HistoryQuery;
import dev.baton.history.InvalidHistoryQueryException;
import dev.baton.history.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link ExecutionHistory} over the history table: every read is one set-based, indexed query. */
public final class JdbcExecutionHistory implements ExecutionHistory {
  private final DataSource dataSource;
  private final HistorySql sql;
  private final String cluster;
  private final HistoryWriter writer;

  JdbcExecutionHistory(
      DataSource dataSource, HistorySql sql, String cluster, HistoryWriter writer) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.cluster = cluster;
    this.writer = writer;
  }

  @Override
  public HistoryPage query(HistoryQuery query) {
    StringBuilder where = new StringBuilder(" WHERE SCHED_NAME = ?");
    List<Object> args = new ArrayList<>();
    args.add(cluster);
    if (query.task() != null) {
      where.append(" AND JOB_NAME = ?");
      args.add(query.task());
    }
    if (!query.outcomes().isEmpty()) {
      where.append(" AND OUTCOME IN (");
      String sep = "";
      for (Outcome o : Outcome.values()) {
        if (!query.outcomes().contains(o)) continue;
        where.append(sep).append('?');
        args.add(o.name());
        sep = ", ";
      }
      where.append(')');
    }
    if (query.node() != null) {
      where.append(" AND NODE_ID = ?");
      args.add(query.node());
    }
    if (query.since() != null) {
      where.append(" AND START_TIME >= ?");
      args.add(query.since().toEpochMilli());
    }
    if (query.until() != null) {
      where.append(" AND START_TIME < ?");
      args.add(query.until().toEpochMilli());
    }
    HistoryQuery.Cursor cursor = query.cursor();
    if (cursor != null) {
      where.append(" AND (START_TIME < ? OR (START_TIME = ? AND ID < ?))");
      args.add(cursor.startMillis());
      args.add(cursor.startMillis());
      args.add(cursor.id());
    }
    // One more than asked tells whether there is a next page.
    args.add(query.limit() + 1);
    List<Execution> rows =
        select(
            "SELECT "
                + HistorySql.COLUMNS
                + " FROM "
                + sql.table
                + where
                + " ORDER BY START_TIME DESC, ID DESC LIMIT ?",
            args);
    if (rows.size() <= query.limit()) return new HistoryPage(rows, Optional.empty());
    List<Execution> page = rows.subList(0, query.limit());
    Execution last = page.get(page.size() - 1);
    String next = new HistoryQuery.Cursor(last.startedAt().toEpochMilli(), last.id()).text();
    return new HistoryPage(page, Optional.of(next));
  }

  @Override
  public Optional<Execution> find(String id) {
    return select(
            "SELECT "
                + HistorySql.COLUMNS
                + " FROM "
                + sql.table
                + " WHERE SCHED_NAME = ? AND ID = ?",
            List.of(cluster, id))
        .stream()
        .findFirst();
  }

  @Override
  public List<DuplicateFiring> duplicates() {
    return duplicates(Instant.EPOCH);
  }

  @Override
  public List<DuplicateFiring> duplicates(Instant since) {
    String q =
        "SELECT JOB_NAME, TRIGGER_NAME, TRIGGER_GROUP, SCHEDULED_TIME, COUNT(*),"
            + " SUM(CASE WHEN RECOVERY = ? THEN 1 ELSE 0 END) FROM "
            + sql.table
            + " WHERE SCHED_NAME = ? AND START_TIME >= ?"
            + " AND OUTCOME IN ('SUCCEEDED', 'FAILED', 'RUNNING', 'ABANDONED')"
            + " GROUP BY JOB_NAME, TRIGGER_NAME, TRIGGER_GROUP, SCHEDULED_TIME"
            + " HAVING COUNT(*) > 1 ORDER BY SCHEDULED_TIME, TRIGGER_GROUP, TRIGGER_NAME";
    List<DuplicateFiring> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(q)) {
      ps.setBoolean(1, true);
      ps.setString(2, cluster);
      ps.setLong(3, since.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long scheduled = rs.getLong(4);
          out.add(
              new DuplicateFiring(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.wasNull() ? null : Instant.ofEpochMilli(scheduled),
                  rs.getInt(5),
                  rs.getInt(6)));
        }
      }
    } catch (SQLException e) {
      throw failure("look for duplicate executions", e);
    }
    return out;
  }

  @Override
  public List<ActivityCount> activity(Instant since, Duration bucket) {
    if (bucket == null || bucket.toMillis() < 1) {
      throw new InvalidHistoryQueryException("bucket", bucket, "give at least 1 ms");
    }
    long from = since.toEpochMilli();
    long width = bucket.toMillis();
    // Integer bucket numbers; FLOOR keeps MySQL's decimal division whole like the others'.
    String q =
        "SELECT NODE_ID, B, OUTCOME, COUNT(*) FROM (SELECT NODE_ID, OUTCOME,"
            + " FLOOR((START_TIME - ?) / ?) AS B FROM "
            + sql.table
            + " WHERE SCHED_NAME = ? AND START_TIME >= ?) X"
            + " GROUP BY NODE_ID, B, OUTCOME ORDER BY B, NODE_ID, OUTCOME";
    List<ActivityCount> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(q)) {
      ps.setLong(1, from);
      ps.setLong(2, width);
      ps.setString(3, cluster);
      ps.setLong(4, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ActivityCount(
                  rs.getString(1),
                  Instant.ofEpochMilli(from + rs.getLong(2) * width),
                  Outcome.valueOf(rs.getString(3)),
                  rs.getLong(4)));
        }
      }
    } catch (SQLException e) {
      throw failure("count executions per node", e);
    }
    return out;
  }

  @Override
  public boolean recording() {
    return writer != null;
  }

  @Override
  public long droppedEvents() {
    return writer == null ? 0 : writer.dropped();
  }

  private List<Execution> select(String q, List<Object> args) {
    List<Execution> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(q)) {
      for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(HistorySql.read(rs));
      }
    } catch (SQLException e) {
      throw failure("read the execution history", e);
    }
    return out;
  }

  private BatonException failure(String what, SQLException e) {
    return new BatonException(
        "Could not "
            + what
            + " of cluster '"
            + cluster
            + "' in table "
            + sql.table
            + ": "
            + e.getMessage(),
        e);
  }
}
