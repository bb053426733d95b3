package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresQuartzApiTest extends QuartzApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
