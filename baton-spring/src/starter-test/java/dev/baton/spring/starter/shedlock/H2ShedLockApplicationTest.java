package dev.baton.spring.starter.shedlock;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

/** The ShedLock application on an in-memory H2 shared by both instances. */
class H2ShedLockApplicationTest extends ShedLockApplicationContract {
  @Override
  protected TestDatabase createDatabase() {
    return new H2Database();
  }
}
