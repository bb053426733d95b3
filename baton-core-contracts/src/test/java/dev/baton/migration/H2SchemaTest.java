package dev.baton.migration;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

class H2SchemaTest extends SchemaContract {
  @Override
  protected TestDatabase newDatabase() {
    return new H2Database();
  }
}
