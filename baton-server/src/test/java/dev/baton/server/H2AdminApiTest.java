package dev.baton.server;

import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;

/** The admin API contract on H2. */
class H2AdminApiTest extends AdminApiContract {
  @Override
  protected TestDatabase database() {
    return new H2Database();
  }
}
