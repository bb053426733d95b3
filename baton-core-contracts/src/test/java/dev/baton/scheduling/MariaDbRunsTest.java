package dev.baton.scheduling;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

class MariaDbRunsTest extends RunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }
}
