package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class PostgresSchedulingTest extends SchedulingContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }

  @Override
  protected String stockQuartzDdl() {
    return "tables_postgres.sql";
  }

  @Override
  protected String stockDelegate() {
    return "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
  }

  /** Without statistics PostgreSQL plans each firing's key lookups as scans of every trigger. */
  @Test
  void aStartingNodeLeavesTheSchedulerTablesWithPlannerStatistics() throws Exception {
    node("a");

    // A table never analyzed has reltuples -1 (autovacuum ignores a handful of rows); Baton's own
    // cleanup task is one row in each.
    assertThat(
            count(
                "SELECT COUNT(*) FROM pg_class WHERE relname IN ('qrtz_triggers',"
                    + " 'qrtz_job_details', 'qrtz_simple_triggers') AND reltuples >= 1"))
        .isEqualTo(3);
  }
}
