package dev.baton.internal;

import dev.baton.history.Outcome;
import dev.baton.internal.database.DatabaseClock;
import dev.baton.scheduling.DepartedNode;
import dev.baton.scheduling.DepartedNode.Departure;
import dev.baton.scheduling.DepartedNode.Fate;
import dev.baton.scheduling.DepartedNode.Recovered;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of nodes that left the cluster ({@code BATON_DEPARTED_NODES}): written in the
 * transaction that removes a leaving node's rows, or in the recovery transaction of a node declared
 * dead (as a {@link NodeDeathListener}); read with what the history says was running on the node
 * when it went and what became of it. The SQL is portable across the three databases.
 */
final class DepartedNodes implements NodeDeathListener {
  private static final Logger log = LoggerFactory.getLogger(DepartedNodes.class);

  /** Rows older than this are deleted by the housekeeping; a longer view cannot be asked for. */
  static final Duration MAX_RETENTION = dev.baton.Baton.MAX_DEPARTED;

  /** A node rarely had more running; the bound keeps one listing cheap. */
  private static final int MAX_RECOVERED = 200;

  private static final int MAX_LISTED = 100;

  private final DataSource dataSource;
  private final String prefix;
  private final String cluster;
  private final String nodeId;
  private final DatabaseClock clock;

  DepartedNodes(
      DataSource dataSource, String prefix, String cluster, String nodeId, DatabaseClock clock) {
    this.dataSource = dataSource;
    this.prefix = prefix;
    this.cluster = cluster;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  /** Records this node's clean leave, in {@code transaction} (before its node row is deleted). */
  void left(Connection transaction) throws SQLException {
    record(transaction, nodeId, Departure.LEFT, null);
  }

  @Override
  public void nodesDeclaredDead(Connection transaction, List<String> nodeIds) throws SQLException {
    for (String dead : nodeIds) record(transaction, dead, Departure.DECLARED_DEAD, nodeId);
  }

  private void record(Connection c, String node, Departure how, String declaredBy)
      throws SQLException {
    String host = null;
    Long pid = null;
    String version = null;
    Long started = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT HOST_NAME, PID, BATON_VERSION, STARTED_AT FROM "
                + prefix
                + "BATON_NODES WHERE SCHED_NAME = ? AND INSTANCE_NAME = ?")) {
      ps.setString(1, cluster);
      ps.setString(2, node);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          host = rs.getString(1);
          pid = rs.getLong(2);
          version = rs.getString(3);
          started = rs.getLong(4);
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + prefix
                + "BATON_DEPARTED_NODES (SCHED_NAME, INSTANCE_NAME, DEPARTED_AT, DEPARTURE,"
                + " DECLARED_BY, HOST_NAME, PID, BATON_VERSION, STARTED_AT)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, cluster);
      ps.setString(2, node);
      ps.setLong(3, clock.now());
      ps.setString(4, how.name());
      ps.setString(5, declaredBy);
      ps.setString(6, host);
      setLong(ps, 7, pid);
      ps.setString(8, version);
      setLong(ps, 9, started);
      ps.executeUpdate();
    }
    log.info(
        "Node {} departed ({}{})",
        node,
        how,
        declaredBy == null ? "" : ", declared dead by " + declaredBy);
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }

  /** Departures within {@code within} of now, newest first, at most {@value #MAX_LISTED}. */
  List<DepartedNode> list(Duration within) throws SQLException {
    List<DepartedNode> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT INSTANCE_NAME, DEPARTED_AT, DEPARTURE, DECLARED_BY, HOST_NAME, PID,"
                  + " BATON_VERSION, STARTED_AT FROM "
                  + prefix
                  + "BATON_DEPARTED_NODES WHERE SCHED_NAME = ? AND DEPARTED_AT >= ?"
                  + " ORDER BY DEPARTED_AT DESC, INSTANCE_NAME")) {
        ps.setMaxRows(MAX_LISTED);
        ps.setString(1, cluster);
        ps.setLong(2, clock.now() - within.toMillis());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long pid = rs.getLong(6);
            boolean hasPid = !rs.wasNull();
            long started = rs.getLong(8);
            boolean hasStart = !rs.wasNull();
            out.add(
                new DepartedNode(
                    rs.getString(1),
                    Instant.ofEpochMilli(rs.getLong(2)),
                    Departure.valueOf(rs.getString(3)),
                    rs.getString(4),
                    rs.getString(5),
                    hasPid ? pid : -1,
                    rs.getString(7),
                    hasStart ? Instant.ofEpochMilli(started) : null,
                    List.of()));
          }
        }
      }
      List<DepartedNode> withRecoveries = new ArrayList<>(out.size());
      for (DepartedNode d : out) {
        withRecoveries.add(
            d.departure() == Departure.DECLARED_DEAD
                ? new DepartedNode(
                    d.nodeId(),
                    d.departedAt(),
                    d.departure(),
                    d.declaredBy(),
                    d.host(),
                    d.pid(),
                    d.version(),
                    d.startedAt(),
                    recovered(c, d))
                : d);
      }
      return withRecoveries;
    }
  }

  /**
   * The history entries of {@code d} that were running when it was declared dead (started before,
   * not ended before; since its start when known, so that an earlier life of the same id is left
   * out), each with its recovery re-run: the entry of the same firing flagged as a recovery.
   */
  private List<Recovered> recovered(Connection c, DepartedNode d) throws SQLException {
    String h = prefix + "BATON_HISTORY";
    List<Recovered> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT H.ID, H.JOB_NAME, H.SCHEDULED_TIME, H.START_TIME, H.OUTCOME,"
                + " R.ID, R.NODE_ID, R.OUTCOME, J.REQUESTS_RECOVERY FROM "
                + h
                + " H LEFT JOIN "
                + h
                + " R ON R.SCHED_NAME = H.SCHED_NAME AND R.TRIGGER_NAME = H.TRIGGER_NAME"
                + " AND R.TRIGGER_GROUP = H.TRIGGER_GROUP AND R.SCHEDULED_TIME = H.SCHEDULED_TIME"
                + " AND R.RECOVERY = ? AND R.ID <> H.ID AND R.START_TIME >= H.START_TIME"
                + " LEFT JOIN "
                + prefix
                + "JOB_DETAILS J ON J.SCHED_NAME = H.SCHED_NAME AND J.JOB_NAME = H.JOB_NAME"
                + " AND J.JOB_GROUP = H.JOB_GROUP"
                + " WHERE H.SCHED_NAME = ? AND H.NODE_ID = ? AND H.START_TIME <= ?"
                + " AND H.START_TIME >= ? AND (H.END_TIME IS NULL OR H.END_TIME >= ?)"
                + " AND H.OUTCOME <> 'VETOED' AND H.OUTCOME <> 'SKIPPED'"
                + " ORDER BY H.START_TIME, H.ID")) {
      ps.setMaxRows(MAX_RECOVERED);
      long at = d.departedAt().toEpochMilli();
      ps.setBoolean(1, true);
      ps.setString(2, cluster);
      ps.setString(3, d.nodeId());
      ps.setLong(4, at);
      ps.setLong(5, d.startedAt() == null ? 0 : d.startedAt().toEpochMilli());
      ps.setLong(6, at);
      try (ResultSet rs = ps.executeQuery()) {
        String last = null;
        while (rs.next()) {
          String id = rs.getString(1);
          // A firing re-run twice (the re-run's node died too) is listed once, with its first.
          if (id.equals(last)) continue;
          last = id;
          long scheduled = rs.getLong(3);
          boolean hasScheduled = !rs.wasNull();
          String rerunId = rs.getString(6);
          boolean recoverable = rs.getBoolean(9);
          Fate fate =
              rerunId != null ? Fate.RERUN : recoverable ? Fate.RERUN_PENDING : Fate.ABANDONED;
          out.add(
              new Recovered(
                  id,
                  rs.getString(2),
                  hasScheduled ? Instant.ofEpochMilli(scheduled) : null,
                  Instant.ofEpochMilli(rs.getLong(4)),
                  Outcome.valueOf(rs.getString(5)),
                  fate,
                  rerunId,
                  rs.getString(7),
                  rerunId == null ? null : Outcome.valueOf(rs.getString(8))));
        }
      }
    }
    return out;
  }

  /** Deletes the rows older than {@link #MAX_RETENTION}; returns how many. */
  int prune() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM "
                    + prefix
                    + "BATON_DEPARTED_NODES WHERE SCHED_NAME = ? AND DEPARTED_AT < ?")) {
      c.setAutoCommit(true);
      ps.setString(1, cluster);
      ps.setLong(2, clock.now() - MAX_RETENTION.toMillis());
      return ps.executeUpdate();
    }
  }
}
