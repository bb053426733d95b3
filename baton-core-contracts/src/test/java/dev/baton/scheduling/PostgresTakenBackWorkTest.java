package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresTakenBackWorkTest extends TakenBackWorkContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
