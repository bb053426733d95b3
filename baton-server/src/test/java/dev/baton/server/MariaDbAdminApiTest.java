package dev.baton.server;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

/**
 * The admin API contract on a real MariaDB; skipped with a notice when the server is not reachable
 * (fatal with {@code BATON_REQUIRE_MARIADB=true}), see {@link MariaDbDatabase}.
 */
class MariaDbAdminApiTest extends AdminApiContract {
  @Override
  protected TestDatabase database() {
    return new MariaDbDatabase();
  }
}
