package dev.baton.migration;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresQuartzDataTest extends QuartzDataContract {
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
}
