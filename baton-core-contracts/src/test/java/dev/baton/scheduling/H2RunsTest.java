package dev.baton.scheduling;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

class H2RunsTest extends RunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return new H2Database();
  }
}
