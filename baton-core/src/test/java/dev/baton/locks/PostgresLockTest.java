package dev.baton.locks;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresLockTest extends LockContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
