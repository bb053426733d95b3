package dev.baton.history;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresHistoryTest extends HistoryContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
