package dev.baton.locks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * PostgreSQL: an upsert guarded by the expiry acquires; release (also used to force-release)
 * notifies waiters in the same statement (LISTEN/NOTIFY on {@link #channel()}, delivered at
 * commit).
 */
final class PostgresLockSql extends LockSql {
  private static final String NOTIFY_WAITERS =
      " RETURNING CASE WHEN WAITERS > 0 THEN pg_notify(?, LOCK_NAME)::text END";

  private final String channel;

  PostgresLockSql(String tablePrefix) {
    super(tablePrefix);
    this.channel = "baton_locks_" + tablePrefix.toLowerCase(Locale.ROOT);
  }

  /** The notification channel of this table prefix; a plain identifier (prefixes are checked). */
  String channel() {
    return channel;
  }

  @Override
  String now() {
    // statement_timestamp(): one value for the whole statement, from the server's clock.
    return "(EXTRACT(EPOCH FROM statement_timestamp()) * 1000000)::bigint";
  }

  @Override
  long acquire(Connection c, String name, String node, String thread, long leaseMicros)
      throws SQLException {
    // Rows are kept after release, so a free lock nearly always has its row: a plain UPDATE guarded
    // by the expiry takes it in one statement, cheaper than the upsert's speculative insertion.
    String take =
        "UPDATE "
            + table
            + " l SET OWNER_NODE = ?, OWNER_THREAD = ?, FENCING_TOKEN = GREATEST(l.FENCING_TOKEN +"
            + " 1, n.t), ACQUIRED_AT = n.t, EXPIRES_AT = n.t + ? FROM (SELECT "
            + now()
            + " AS t) n WHERE l.LOCK_NAME = ? AND l.EXPIRES_AT <= n.t"
            + " RETURNING l.FENCING_TOKEN";
    try (PreparedStatement ps = c.prepareStatement(take)) {
      ps.setString(1, node);
      ps.setString(2, thread);
      ps.setLong(3, leaseMicros);
      ps.setString(4, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) return rs.getLong(1);
      }
    }
    // Busy, or no row yet: the upsert creates the row or confirms the lock is held.
    // EXCLUDED.ACQUIRED_AT is this statement's "now"; the WHERE sees the row's latest committed
    // version, so two racing acquirers cannot both win.
    String sql =
        "INSERT INTO "
            + table
            + " AS l ("
            + COLUMNS
            + ")"
            + " SELECT ?, ?, ?, n.t, n.t, n.t + ? FROM (SELECT "
            + now()
            + " AS t) n"
            + " ON CONFLICT (LOCK_NAME) DO UPDATE SET OWNER_NODE = EXCLUDED.OWNER_NODE,"
            + " OWNER_THREAD = EXCLUDED.OWNER_THREAD,"
            + " FENCING_TOKEN = GREATEST(l.FENCING_TOKEN + 1, EXCLUDED.FENCING_TOKEN),"
            + " ACQUIRED_AT = EXCLUDED.ACQUIRED_AT, EXPIRES_AT = EXCLUDED.EXPIRES_AT"
            + " WHERE l.EXPIRES_AT <= EXCLUDED.ACQUIRED_AT"
            + " RETURNING FENCING_TOKEN";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      ps.setString(2, node);
      ps.setString(3, thread);
      ps.setLong(4, leaseMicros);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  @Override
  int release(Connection c, String name, String node, long token) throws SQLException {
    // NOTIFY serialises committing transactions and wakes every listener, so it is sent only when
    // some node registered as waiting (see addWaiter); it is delivered when this statement commits.
    try (PreparedStatement ps = c.prepareStatement(releaseUpdate() + NOTIFY_WAITERS)) {
      bindOwner(ps, name, node, token);
      ps.setString(4, channel);
      return countRows(ps);
    }
  }

  /**
   * Registers (+1) or unregisters (-1) a waiter, so that releases notify. A waiter that dies
   * registered only costs needless notifications until the row is purged.
   */
  @Override
  void addWaiter(Connection c, String name, int delta) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE " + table + " SET WAITERS = GREATEST(WAITERS + ?, 0) WHERE LOCK_NAME = ?")) {
      ps.setInt(1, delta);
      ps.setString(2, name);
      ps.executeUpdate();
    }
  }

  private static int countRows(PreparedStatement ps) throws SQLException {
    int n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) n++;
    }
    return n;
  }
}
