package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresConcurrencyLimitTest extends ConcurrencyLimitContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
