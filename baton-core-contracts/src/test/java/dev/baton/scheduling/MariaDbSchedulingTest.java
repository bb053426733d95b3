package dev.baton.scheduling;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

class MariaDbSchedulingTest extends SchedulingContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }

  @Override
  protected String quoteHistory() {
    return "qrtz_baton_schema_history";
  }

  @Override
  protected String quoteColumn(String c) {
    return c;
  }

  @Override
  protected String trueLiteral() {
    return "1";
  }

  @Override
  protected String stockQuartzDdl() {
    return "tables_mysql_innodb.sql";
  }
}
