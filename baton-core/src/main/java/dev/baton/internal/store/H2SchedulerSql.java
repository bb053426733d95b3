package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.SQLException;

/** H2 2.x: plans by rule, so no statistics to refresh; row locks as MySQL's. */
final class H2SchedulerSql extends SchedulerSql {
  private final String nextToken;

  H2SchedulerSql(String tablePrefix) {
    super(tablePrefix, " FOR UPDATE SKIP LOCKED", " FOR UPDATE SKIP LOCKED", " FOR UPDATE");
    nextToken = "SELECT NEXT VALUE FOR " + t("BATON_EXECUTION_TOKENS");
  }

  @Override
  long nextTokenBlock(Connection conn) throws SQLException {
    return single(conn, nextToken);
  }

  @Override
  public String nowMicros() {
    // EPOCH of a TIMESTAMP WITH TIME ZONE is zone-independent.
    return "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6)) * 1000000 AS BIGINT)";
  }
}
