package dev.baton.spring.starter.shedlock;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

/** The ShedLock application on embedded PostgreSQL. */
class PostgresShedLockApplicationTest extends ShedLockApplicationContract {
  @Override
  protected TestDatabase createDatabase() {
    return new PostgresDatabase();
  }
}
