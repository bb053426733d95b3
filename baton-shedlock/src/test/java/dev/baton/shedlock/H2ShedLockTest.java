package dev.baton.shedlock;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

/** {@link ShedLockContract} on H2. */
public class H2ShedLockTest extends ShedLockContract {
  @Override
  protected TestDatabase newDatabase() {
    return new H2Database();
  }
}
