package dev.baton.scheduling;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

class MariaDbBatchFiringTest extends BatchFiringContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }
}
