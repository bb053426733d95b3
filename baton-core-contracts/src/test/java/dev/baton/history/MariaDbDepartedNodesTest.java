package dev.baton.history;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

class MariaDbDepartedNodesTest extends DepartedNodesContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }
}
