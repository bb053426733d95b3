package dev.baton.history;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

class H2DepartedNodesTest extends DepartedNodesContract {
  @Override
  protected TestDatabase newDatabase() {
    return new H2Database();
  }
}
