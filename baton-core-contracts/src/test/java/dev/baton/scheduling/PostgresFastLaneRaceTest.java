package dev.baton.scheduling;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

class PostgresFastLaneRaceTest extends FastLaneRaceContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }
}
