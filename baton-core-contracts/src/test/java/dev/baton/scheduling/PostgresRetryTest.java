package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresRetryTest extends RetryContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
