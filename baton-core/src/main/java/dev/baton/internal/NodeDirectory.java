package dev.baton.internal;

import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.scheduling.NodeInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Baton's node table: who this node is, and which of the cluster's job classes it can run. Joined
 * with Quartz's check-in table it tells which nodes are live and whether any live node can run a
 * given task.
 */
final class NodeDirectory {
  private final DataSource dataSource;
  private final String prefix;
  private final String cluster;
  private final String nodeId;
  private final long failureGraceMillis;
  private final SharedClassLoadHelper classes;
  private final dev.baton.internal.database.DatabaseClock clock;
  private final DepartedNodes departures;
  private volatile String published;

  NodeDirectory(
      DataSource dataSource,
      String prefix,
      String cluster,
      String nodeId,
      Duration failureGrace,
      SharedClassLoadHelper classes,
      dev.baton.internal.database.DatabaseClock clock,
      DepartedNodes departures) {
    this.dataSource = dataSource;
    this.departures = departures;
    this.prefix = prefix;
    this.cluster = cluster;
    this.nodeId = nodeId;
    this.failureGraceMillis = failureGrace.toMillis();
    this.classes = classes;
    this.clock = clock;
  }

  /**
   * Records this node and, when it changed, the set of the cluster's job classes it can run: one
   * query for the classes, and a write only when something changed.
   */
  void publish(String host, long pid, String version, Instant startedAt) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      Set<String> runnable = new TreeSet<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT DISTINCT JOB_CLASS_NAME FROM "
                  + prefix
                  + "JOB_DETAILS WHERE SCHED_NAME = ?")) {
        ps.setString(1, cluster);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (classes.canRun(rs.getString(1))) runnable.add(rs.getString(1));
          }
        }
      }
      String text = String.join("\n", runnable);
      if (text.equals(published)) return;
      Object[] row = {
        host,
        pid,
        version,
        startedAt.toEpochMilli(),
        clock.now(),
        text,
        startedAt.toEpochMilli(),
        cluster,
        nodeId
      };
      // Only this node writes its own row, so update-then-insert cannot race with itself.
      if (write(
              c,
              "UPDATE "
                  + prefix
                  + "BATON_NODES SET HOST_NAME = ?, PID = ?, BATON_VERSION = ?,"
                  + " STARTED_AT = ?, UPDATED_AT = ?, RUNNABLE_CLASSES = ?, PROTOCOL_SINCE = ?"
                  + " WHERE SCHED_NAME = ? AND"
                  + " INSTANCE_NAME = ?",
              row)
          == 0) {
        write(
            c,
            "INSERT INTO "
                + prefix
                + "BATON_NODES (HOST_NAME, PID, BATON_VERSION, STARTED_AT,"
                + " UPDATED_AT, RUNNABLE_CLASSES, PROTOCOL_SINCE, SCHED_NAME, INSTANCE_NAME)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row);
      }
      published = text;
    }
  }

  private static int write(Connection c, String sql, Object[] values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
      return ps.executeUpdate();
    }
  }

  /** Forces the next {@link #publish} to write, e.g. after a task was registered. */
  void invalidate() {
    published = null;
  }

  /**
   * Leaves the cluster at once, so that nobody has to detect this node's death: deletes its
   * check-in and node rows. Quartz's scheduler thread, halted while waiting for an acquired
   * trigger's fire time, leaves that trigger ACQUIRED (stock Quartz relies on the survivors'
   * failure detection to reset it); with the check-in row gone nobody would, so the same
   * transaction hands such triggers back, and records the departure ({@link DepartedNodes}). Call
   * only after a complete drain.
   */
  void leave() throws SQLException {
    String p = prefix;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        executeForThisNode(
            c,
            "UPDATE "
                + p
                + "TRIGGERS SET TRIGGER_STATE = 'WAITING' WHERE SCHED_NAME = ?"
                + " AND TRIGGER_STATE = 'ACQUIRED' AND EXISTS (SELECT 1 FROM "
                + p
                + "FIRED_TRIGGERS F WHERE F.SCHED_NAME = "
                + p
                + "TRIGGERS.SCHED_NAME"
                + " AND F.TRIGGER_NAME = "
                + p
                + "TRIGGERS.TRIGGER_NAME"
                + " AND F.TRIGGER_GROUP = "
                + p
                + "TRIGGERS.TRIGGER_GROUP"
                + " AND F.INSTANCE_NAME = ? AND F.STATE = 'ACQUIRED')");
        executeForThisNode(
            c,
            "DELETE FROM "
                + p
                + "FIRED_TRIGGERS WHERE SCHED_NAME = ? AND INSTANCE_NAME = ?"
                + " AND STATE = 'ACQUIRED'");
        executeForThisNode(
            c, "DELETE FROM " + p + "SCHEDULER_STATE WHERE SCHED_NAME = ? AND INSTANCE_NAME = ?");
        // Read before the node row goes: the departure keeps its host, pid and version.
        departures.left(c);
        executeForThisNode(
            c, "DELETE FROM " + p + "BATON_NODES WHERE SCHED_NAME = ? AND INSTANCE_NAME = ?");
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void executeForThisNode(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cluster);
      ps.setString(2, nodeId);
      ps.executeUpdate();
    }
  }

  /**
   * Deletes the rows of nodes that left: no check-in row any more (Quartz removes a dead node's
   * during recovery) and not updated for {@code age}, so a node that has not checked in yet stays.
   */
  int pruneDeparted(Duration age) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM "
                    + prefix
                    + "BATON_NODES WHERE SCHED_NAME = ? AND UPDATED_AT < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM "
                    + prefix
                    + "SCHEDULER_STATE S"
                    + " WHERE S.SCHED_NAME = "
                    + prefix
                    + "BATON_NODES.SCHED_NAME"
                    + " AND S.INSTANCE_NAME = "
                    + prefix
                    + "BATON_NODES.INSTANCE_NAME)")) {
      c.setAutoCommit(true);
      ps.setString(1, cluster);
      ps.setLong(2, clock.now() - age.toMillis());
      return ps.executeUpdate();
    }
  }

  /** Every node Quartz knows (checked in) or Baton knows (has a row), live ones first. */
  List<NodeInfo> nodes() throws SQLException {
    String sql =
        "SELECT S.INSTANCE_NAME, S.LAST_CHECKIN_TIME, S.CHECKIN_INTERVAL, N.HOST_NAME, N.PID,"
            + " N.BATON_VERSION, N.STARTED_AT, N.RUNNABLE_CLASSES FROM "
            + prefix
            + "SCHEDULER_STATE S LEFT JOIN "
            + prefix
            + "BATON_NODES N ON N.SCHED_NAME = S.SCHED_NAME AND N.INSTANCE_NAME = S.INSTANCE_NAME"
            + " WHERE S.SCHED_NAME = ? ORDER BY S.INSTANCE_NAME";
    List<NodeInfo> nodes = new ArrayList<>();
    long now = clock.now();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long checkin = rs.getLong(2);
          long interval = rs.getLong(3);
          String runnable = rs.getString(8);
          long started = rs.getLong(7);
          boolean hasStart = !rs.wasNull();
          long pid = rs.getLong(5);
          nodes.add(
              new NodeInfo(
                  rs.getString(1),
                  Instant.ofEpochMilli(checkin),
                  Duration.ofMillis(interval),
                  checkin + interval + failureGraceMillis >= now,
                  rs.getString(4),
                  rs.getString(4) == null ? -1 : pid,
                  rs.getString(6),
                  hasStart ? Instant.ofEpochMilli(started) : null,
                  runnable == null || runnable.isEmpty()
                      ? Set.of()
                      : new LinkedHashSet<>(Arrays.asList(runnable.split("\n")))));
        }
      }
    }
    return nodes;
  }
}
