package dev.baton.locks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * H2 2.x: {@code MERGE ... USING} guarded by the expiry, read back through a data-change delta
 * table ({@code FINAL TABLE}), so that one statement acquires and returns the token.
 */
final class H2LockSql extends LockSql {
  H2LockSql(String tablePrefix) {
    super(tablePrefix);
  }

  @Override
  String now() {
    // CURRENT_TIMESTAMP is fixed for the command (autocommit); EPOCH is zone-independent.
    return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6)) * 1000000 AS BIGINT)";
  }

  @Override
  long acquire(Connection c, String name, String node, String thread, long leaseMicros)
      throws SQLException {
    String sql =
        "SELECT FENCING_TOKEN FROM FINAL TABLE (MERGE INTO "
            + table
            + " l"
            + " USING (SELECT CAST(? AS VARCHAR(190)) AS N, CAST(? AS VARCHAR(200)) AS NODE,"
            + " CAST(? AS VARCHAR(200)) AS THR, "
            + now()
            + " AS T, CAST(? AS BIGINT) AS LEASE) s"
            + " ON l.LOCK_NAME = s.N"
            + " WHEN MATCHED AND l.EXPIRES_AT <= s.T THEN UPDATE SET OWNER_NODE = s.NODE,"
            + " OWNER_THREAD = s.THR, FENCING_TOKEN = GREATEST(l.FENCING_TOKEN + 1, s.T),"
            + " ACQUIRED_AT = s.T, EXPIRES_AT = s.T + s.LEASE"
            + " WHEN NOT MATCHED THEN INSERT ("
            + COLUMNS
            + ")"
            + " VALUES (s.N, s.NODE, s.THR, s.T, s.T, s.T + s.LEASE))";
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
}
