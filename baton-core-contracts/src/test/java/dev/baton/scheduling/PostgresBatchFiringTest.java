package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresBatchFiringTest extends BatchFiringContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
