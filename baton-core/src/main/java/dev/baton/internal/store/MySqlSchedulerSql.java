package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL 8 and MariaDB 10.6+: InnoDB keeps its own statistics; scheduler connections run at READ
 * COMMITTED (see {@link #isolation}).
 */
final class MySqlSchedulerSql extends SchedulerSql {
  /** Old token rows are deleted once per this many values taken. */
  private static final long PRUNE_EVERY = 1_000;

  private final String takeToken;
  private final String pruneTokens;

  MySqlSchedulerSql(String tablePrefix) {
    super(tablePrefix, " FOR UPDATE SKIP LOCKED", " FOR UPDATE SKIP LOCKED", " FOR UPDATE");
    takeToken = "INSERT INTO " + t("BATON_EXECUTION_TOKENS") + " () VALUES ()";
    pruneTokens = "DELETE FROM " + t("BATON_EXECUTION_TOKENS") + " WHERE ID < ?";
  }

  /**
   * An AUTO_INCREMENT value, MySQL's sequence: allocated when the insert runs, whatever the
   * transaction then does. The rows themselves are not needed and are pruned now and then.
   */
  @Override
  long nextTokenBlock(Connection conn) throws SQLException {
    long value;
    try (PreparedStatement ps = conn.prepareStatement(takeToken, Statement.RETURN_GENERATED_KEYS)) {
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) throw new SQLException("No key from " + takeToken);
        value = keys.getLong(1);
      }
    }
    if (value % PRUNE_EVERY == 0) {
      try (PreparedStatement ps = conn.prepareStatement(pruneTokens)) {
        ps.setLong(1, value);
        ps.executeUpdate();
      }
    }
    return value;
  }

  @Override
  public String nowMicros() {
    // UTC_TIMESTAMP(6) is independent of the session time zone (the statement's start).
    return "SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";
  }

  /**
   * READ COMMITTED, so that InnoDB takes no gap locks: at its default REPEATABLE READ a fast-lane
   * insert could wait on a gap another transaction locked, breaking the rule that fast-lane
   * transactions never wait holding locks.
   */
  @Override
  public int isolation() {
    return Connection.TRANSACTION_READ_COMMITTED;
  }
}
