package dev.baton.locks;

import dev.baton.internal.database.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lock table's statements. Each dialect's class supplies its clock expression (epoch
 * microseconds read from the database clock, one value per statement) and its one-statement
 * acquire; the rest is plain SQL shared by all three. Every time comparison happens inside a
 * statement, against the database clock, never against the JVM's.
 */
abstract class LockSql {
  static final String COLUMNS =
      "LOCK_NAME, OWNER_NODE, OWNER_THREAD, FENCING_TOKEN, ACQUIRED_AT, EXPIRES_AT";

  final String table;

  LockSql(String tablePrefix) {
    this.table = tablePrefix + "BATON_LOCKS";
  }

  /** Picks the dialect's statements; every supported dialect must be listed here. */
  static LockSql of(Dialect dialect, String tablePrefix) {
    return switch (dialect) {
      case H2 -> new H2LockSql(tablePrefix);
      case POSTGRESQL -> new PostgresLockSql(tablePrefix);
      case MYSQL -> new MySqlLockSql(tablePrefix);
    };
  }

  /** An expression for "now" in epoch microseconds on the database clock. */
  abstract String now();

  /**
   * Takes the lock if it is free (no row, or its lease ran out) in one statement, and returns the
   * new fencing token; -1 when someone else holds it.
   */
  abstract long acquire(Connection c, String name, String node, String thread, long leaseMicros)
      throws SQLException;

  /** Whether a failed acquire only lost a race for a brand-new row (the lock is simply busy). */
  boolean lostInsertRace(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("23505") || state.startsWith("40"));
  }

  /** Counts a waiting node in or out, where releases need to know (PostgreSQL); else nothing. */
  void addWaiter(Connection c, String name, int delta) throws SQLException {}

  /** Ends the lease now, only for the current owner and token; returns the rows changed. */
  int release(Connection c, String name, String node, long token) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(releaseUpdate())) {
      bindOwner(ps, name, node, token);
      return ps.executeUpdate();
    }
  }

  final String releaseUpdate() {
    return "UPDATE "
        + table
        + " SET EXPIRES_AT = "
        + now()
        + " WHERE LOCK_NAME = ? AND OWNER_NODE = ? AND FENCING_TOKEN = ? AND EXPIRES_AT > "
        + now();
  }

  /** Pushes the lease to now + lease, only while the owner and token still hold it. */
  int renew(Connection c, String name, String node, long token, long leaseMicros)
      throws SQLException {
    String sql =
        "UPDATE "
            + table
            + " SET EXPIRES_AT = "
            + now()
            + " + ?"
            + " WHERE LOCK_NAME = ? AND OWNER_NODE = ? AND FENCING_TOKEN = ? AND EXPIRES_AT > "
            + now();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, leaseMicros);
      ps.setString(2, name);
      ps.setString(3, node);
      ps.setLong(4, token);
      return ps.executeUpdate();
    }
  }

  boolean isHeld(Connection c, String name, String node, long token) throws SQLException {
    String sql =
        "SELECT 1 FROM "
            + table
            + " WHERE LOCK_NAME = ? AND OWNER_NODE = ? AND FENCING_TOKEN = ? AND EXPIRES_AT > "
            + now();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindOwner(ps, name, node, token);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The current holder of one lock, if its lease has not run out. */
  Optional<LockInfo> holder(Connection c, String name) throws SQLException {
    String sql =
        "SELECT " + COLUMNS + " FROM " + table + " WHERE LOCK_NAME = ? AND EXPIRES_AT > " + now();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(info(rs)) : Optional.empty();
      }
    }
  }

  /** Every lock whose lease has not run out, by name. */
  List<LockInfo> held(Connection c) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM "
            + table
            + " WHERE EXPIRES_AT > "
            + now()
            + " ORDER BY LOCK_NAME";
    List<LockInfo> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(info(rs));
    }
    return out;
  }

  /** Deletes rows whose lease ran out more than {@code retentionMicros} ago. */
  int purge(Connection c, long retentionMicros) throws SQLException {
    String sql = "DELETE FROM " + table + " WHERE EXPIRES_AT < " + now() + " - ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, retentionMicros);
      return ps.executeUpdate();
    }
  }

  static void bindOwner(PreparedStatement ps, String name, String node, long token)
      throws SQLException {
    ps.setString(1, name);
    ps.setString(2, node);
    ps.setLong(3, token);
  }

  static LockInfo info(ResultSet rs) throws SQLException {
    return new LockInfo(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        micros(rs.getLong(5)),
        micros(rs.getLong(6)));
  }

  static Instant micros(long epochMicros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1000L);
  }
}
