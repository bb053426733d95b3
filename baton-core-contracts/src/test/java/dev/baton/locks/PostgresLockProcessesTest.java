package dev.baton.locks;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresLockProcessesTest extends LockProcessesContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
