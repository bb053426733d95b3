package dev.baton.fault;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads what the checks need straight from the database with plain JDBC: Baton's history ({@code
 * QRTZ_BATON_HISTORY}), Quartz's triggers and the fenced resource's write log. Nothing here goes
 * through a node, so a broken node cannot hide its own mistakes.
 */
final class HistoryTables {
  private static final Set<String> RAN = Set.of("SUCCEEDED", "FAILED", "RUNNING", "ABANDONED");

  private HistoryTables() {}

  /** Whether a history outcome means the job body started. */
  static boolean ranOutcome(String outcome) {
    return RAN.contains(outcome);
  }

  /**
   * One history row.
   *
   * @param scheduled scheduled fire time (epoch ms), null for none
   * @param end end time, null while running or abandoned
   * @param token the lock's fencing token, null when not under a lock
   */
  record Entry(
      String id,
      String task,
      String trigger,
      String triggerGroup,
      Long scheduled,
      long start,
      Long end,
      String node,
      String outcome,
      boolean recovery,
      Long token) {
    /** Whether the job body started (what counts for duplicates and overlaps). */
    boolean ran() {
      return RAN.contains(outcome);
    }

    String firingKey() {
      return triggerGroup + "." + trigger + "@" + scheduled;
    }
  }

  /**
   * One Quartz trigger with its schedule.
   *
   * @param repeatIntervalMs for a simple (interval) trigger, else null
   * @param cron for a cron trigger, else null
   */
  record Trigger(
      String name,
      String group,
      String task,
      String state,
      long startTime,
      Long repeatIntervalMs,
      String cron,
      String timeZone) {}

  /**
   * One attempted write to the fenced resource, in the order the resource saw them.
   *
   * @param seq the log's sequence number: the order of the writes on the resource's row lock
   */
  record FencedWrite(long seq, String node, long token, String fireId, long at, boolean accepted) {}

  static List<Entry> history(FaultDatabase db) throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT ID, JOB_NAME, TRIGGER_NAME, TRIGGER_GROUP, SCHEDULED_TIME, START_TIME,"
                    + " END_TIME, NODE_ID, OUTCOME, RECOVERY, FENCING_TOKEN FROM QRTZ_BATON_HISTORY"
                    + " WHERE JOB_NAME NOT LIKE 'baton.%' ORDER BY START_TIME, ID")) {
      while (r.next()) {
        out.add(
            new Entry(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                nullableLong(r, 5),
                r.getLong(6),
                nullableLong(r, 7),
                r.getString(8),
                r.getString(9),
                r.getBoolean(10),
                nullableLong(r, 11)));
      }
    }
    return out;
  }

  static List<Trigger> triggers(FaultDatabase db) throws SQLException {
    List<Trigger> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT T.TRIGGER_NAME, T.TRIGGER_GROUP, T.JOB_NAME, T.TRIGGER_STATE, T.START_TIME,"
                    + " S.REPEAT_INTERVAL, C.CRON_EXPRESSION, C.TIME_ZONE_ID FROM QRTZ_TRIGGERS T"
                    + " LEFT JOIN QRTZ_SIMPLE_TRIGGERS S ON S.SCHED_NAME = T.SCHED_NAME AND"
                    + " S.TRIGGER_NAME = T.TRIGGER_NAME AND S.TRIGGER_GROUP = T.TRIGGER_GROUP LEFT"
                    + " JOIN QRTZ_CRON_TRIGGERS C ON C.SCHED_NAME = T.SCHED_NAME AND C.TRIGGER_NAME"
                    + " = T.TRIGGER_NAME AND C.TRIGGER_GROUP = T.TRIGGER_GROUP")) {
      while (r.next()) {
        out.add(
            new Trigger(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getLong(5),
                nullableLong(r, 6),
                r.getString(7),
                r.getString(8)));
      }
    }
    return out;
  }

  /**
   * Firing keys of the executions Quartz records as running on {@code node}.
   *
   * @param recoverableOnly only those whose job requests recovery
   */
  static List<String> executing(FaultDatabase db, String node, boolean recoverableOnly)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "SELECT TRIGGER_GROUP, TRIGGER_NAME, SCHED_TIME, REQUESTS_RECOVERY FROM"
                    + " QRTZ_FIRED_TRIGGERS WHERE INSTANCE_NAME = ? AND STATE = 'EXECUTING'")) {
      s.setString(1, node);
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          if (r.getBoolean(4) || !recoverableOnly)
            out.add(r.getString(1) + "." + r.getString(2) + "@" + r.getLong(3));
      }
    }
    return out;
  }

  /** Creates the fenced resource (one row, token 0) and its write log. */
  /** What {@code fault.ClockProbeJob} recorded: one row per execution start. */
  record Probe(String task, String node, String fireId, long scheduled, long local, long db) {}

  static void createClockProbe(FaultDatabase db) {
    db.execute(
        "CREATE TABLE clock_probe (task VARCHAR(200) NOT NULL, node_id VARCHAR(200) NOT NULL,"
            + " fire_id VARCHAR(200) NOT NULL, scheduled_ms BIGINT NOT NULL, local_ms BIGINT NOT"
            + " NULL, db_ms BIGINT NOT NULL)");
  }

  static List<Probe> clockProbes(FaultDatabase db) throws SQLException {
    List<Probe> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT task, node_id, fire_id, scheduled_ms, local_ms, db_ms FROM clock_probe"
                    + " ORDER BY scheduled_ms")) {
      while (r.next()) {
        out.add(
            new Probe(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getLong(4),
                r.getLong(5),
                r.getLong(6)));
      }
    }
    return out;
  }

  static void createFencedResource(FaultDatabase db) {
    String id = db.isPostgres() ? "BIGSERIAL PRIMARY KEY" : "BIGINT AUTO_INCREMENT PRIMARY KEY";
    db.execute(
        "CREATE TABLE fenced_resource (id INT PRIMARY KEY, token BIGINT NOT NULL, writes BIGINT NOT"
            + " NULL)",
        "INSERT INTO fenced_resource VALUES (1, 0, 0)",
        "CREATE TABLE fenced_writes (seq "
            + id
            + ", node_id VARCHAR(200) NOT NULL, token BIGINT NOT NULL,"
            + " fire_id VARCHAR(200) NOT NULL, at_ms BIGINT NOT NULL, accepted BOOLEAN NOT NULL)");
  }

  static List<FencedWrite> fencedWrites(FaultDatabase db) throws SQLException {
    List<FencedWrite> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT seq, node_id, token, fire_id, at_ms, accepted FROM fenced_writes ORDER BY"
                    + " seq")) {
      while (r.next()) {
        out.add(
            new FencedWrite(
                r.getLong(1),
                r.getString(2),
                r.getLong(3),
                r.getString(4),
                r.getLong(5),
                r.getBoolean(6)));
      }
    } catch (SQLException e) {
      if (e.getMessage().toLowerCase().contains("fenced_writes"))
        return out; // no lock workload in this scenario
      throw e;
    }
    return out;
  }

  private static Long nullableLong(ResultSet r, int column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }
}
