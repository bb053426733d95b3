package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresDstFiringTest extends DstFiringContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
