package dev.baton.locks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL 8 and MariaDB: {@code INSERT ... ON DUPLICATE KEY UPDATE}, each column guarded by the
 * expiry, and the token handed back through {@code LAST_INSERT_ID(expr)} (the OK packet's insert
 * id, read as a generated key) so that one statement acquires.
 */
final class MySqlLockSql extends LockSql {
  // UTC_TIMESTAMP is constant within a statement; TIMESTAMPDIFF on it ignores the session zone.
  private static final String NOW =
      "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

  /** The old row's lease ran out before this statement's "now". */
  private static final String FREE = "EXPIRES_AT <= VALUES(ACQUIRED_AT)";

  MySqlLockSql(String tablePrefix) {
    super(tablePrefix);
  }

  @Override
  String now() {
    return NOW;
  }

  @Override
  long acquire(Connection c, String name, String node, String thread, long leaseMicros)
      throws SQLException {
    // MySQL assigns left to right and later expressions see earlier assignments, so EXPIRES_AT,
    // which FREE reads, is assigned last. On a busy row LAST_INSERT_ID(0) clears the id that the
    // SELECT set for the insert case, so "no id" means "not acquired".
    String sql =
        "INSERT INTO "
            + table
            + " ("
            + COLUMNS
            + ")"
            + " SELECT ?, ?, ?, LAST_INSERT_ID(n.t), n.t, n.t + ? FROM (SELECT "
            + NOW
            + " AS t) n"
            + " ON DUPLICATE KEY UPDATE"
            + " OWNER_NODE = IF("
            + FREE
            + ", VALUES(OWNER_NODE), OWNER_NODE),"
            + " OWNER_THREAD = IF("
            + FREE
            + ", VALUES(OWNER_THREAD), OWNER_THREAD),"
            + " FENCING_TOKEN = IF("
            + FREE
            + ","
            + " LAST_INSERT_ID(GREATEST(FENCING_TOKEN + 1, VALUES(FENCING_TOKEN))),"
            + " FENCING_TOKEN + LAST_INSERT_ID(0)),"
            + " ACQUIRED_AT = IF("
            + FREE
            + ", VALUES(ACQUIRED_AT), ACQUIRED_AT),"
            + " EXPIRES_AT = IF("
            + FREE
            + ", VALUES(EXPIRES_AT), EXPIRES_AT)";
    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, name);
      ps.setString(2, node);
      ps.setString(3, thread);
      ps.setLong(4, leaseMicros);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        long token = keys.next() ? keys.getLong(1) : 0;
        return token > 0 ? token : -1;
      }
    }
  }
}
