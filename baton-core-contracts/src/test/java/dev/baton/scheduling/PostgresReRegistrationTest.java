package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresReRegistrationTest extends ReRegistrationContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
