package dev.baton.sample;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;
import java.util.Map;

/**
 * The sample on MariaDB; skipped with a notice when no server is reachable (see MariaDbDatabase).
 */
class MariaDbSampleTest extends SampleContract {
  @Override
  protected TestDatabase createDatabase() {
    return new MariaDbDatabase();
  }

  @Override
  protected Map<String, Object> databaseProperties() {
    return Map.of("spring.quartz.jdbc.initialize-schema", "always");
  }
}
