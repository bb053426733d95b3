package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresRegistrationTest extends RegistrationContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }

  @Override
  protected String marker() {
    return "'\\x23'::bytea";
  }

  @Override
  protected String stockDelegate() {
    return "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
  }
}
