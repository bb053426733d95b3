package dev.baton.sample;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;
import java.util.Map;

/** The sample on PostgreSQL, configured as a stock Quartz application on PostgreSQL must be. */
class PostgresSampleTest extends SampleContract {
  @Override
  protected TestDatabase createDatabase() {
    return new PostgresDatabase();
  }

  @Override
  protected Map<String, Object> databaseProperties() {
    return Map.of(
        // A fresh database: let Boot create the Quartz tables, as a first deployment would.
        "spring.quartz.jdbc.initialize-schema",
        "always",
        // Stock Quartz needs this on PostgreSQL (BYTEA); Baton logs that it ignores it.
        "spring.quartz.properties.org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
  }
}
