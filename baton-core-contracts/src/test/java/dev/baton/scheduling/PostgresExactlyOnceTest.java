package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresExactlyOnceTest extends ExactlyOnceContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
