package dev.baton.migration;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

class MariaDbQuartzDataTest extends QuartzDataContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }

  @Override
  protected String stockQuartzDdl() {
    return "tables_mysql_innodb.sql";
  }
}
