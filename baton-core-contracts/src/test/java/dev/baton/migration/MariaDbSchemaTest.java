package dev.baton.migration;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

class MariaDbSchemaTest extends SchemaContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }
}
