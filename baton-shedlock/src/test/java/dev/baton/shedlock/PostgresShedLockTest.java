package dev.baton.shedlock;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

/** {@link ShedLockContract} on Postgres. */
public class PostgresShedLockTest extends ShedLockContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
