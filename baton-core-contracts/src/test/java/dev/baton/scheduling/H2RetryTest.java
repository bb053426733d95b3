package dev.baton.scheduling;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

class H2RetryTest extends RetryContract {
  @Override
  protected TestDatabase newDatabase() {
    return new H2Database();
  }
}
