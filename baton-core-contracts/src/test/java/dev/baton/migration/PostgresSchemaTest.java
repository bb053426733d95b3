package dev.baton.migration;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresSchemaTest extends SchemaContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
