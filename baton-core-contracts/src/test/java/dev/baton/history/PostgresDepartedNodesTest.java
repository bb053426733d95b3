package dev.baton.history;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresDepartedNodesTest extends DepartedNodesContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
