package dev.baton.shedlock;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

/** {@link ShedLockContract} on MariaDb. */
public class MariaDbShedLockTest extends ShedLockContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }
}
