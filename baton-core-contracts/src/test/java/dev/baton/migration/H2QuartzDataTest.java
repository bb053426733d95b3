package dev.baton.migration;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

class H2QuartzDataTest extends QuartzDataContract {
  @Override
  protected TestDatabase newDatabase() {
    return new H2Database();
  }

  @Override
  protected String stockQuartzDdl() {
    return "tables_h2.sql";
  }
}
