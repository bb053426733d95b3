package dev.baton.internal.store;

import java.sql.Connection;

/**
 * MySQL 8 and MariaDB 10.6+: InnoDB keeps its own statistics; scheduler connections run at READ
 * COMMITTED (see {@link #isolation}).
 */
final class MySqlSchedulerSql extends SchedulerSql {
  MySqlSchedulerSql(String tablePrefix) {
    super(tablePrefix, " FOR UPDATE SKIP LOCKED", " FOR UPDATE SKIP LOCKED", " FOR UPDATE");
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
