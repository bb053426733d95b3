package dev.baton.locks;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

class H2LockTest extends LockContract {
  @Override
  protected TestDatabase newDatabase() {
    return new H2Database();
  }
}
