package dev.baton.server;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;

/** The admin API contract on a real PostgreSQL. */
class PostgresAdminApiTest extends AdminApiContract {
  @Override
  protected TestDatabase database() {
    return new PostgresDatabase();
  }
}
