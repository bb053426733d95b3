package dev.baton.sample;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

/**
 * The sample on embedded H2, where Boot creates the Quartz tables itself
 * (initialize-schema=embedded).
 */
class H2SampleTest extends SampleContract {
  @Override
  protected TestDatabase createDatabase() {
    return new H2Database();
  }
}
