package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresRunsTest extends RunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
