package dev.baton.fault;

import dev.baton.testing.MariaDbDatabase;
import java.nio.file.Path;

/**
 * Where each scenario gets its fresh database, on the engine of its column in the matrix.
 * PostgreSQL: a database on the suite's one embedded server, which is the suite's own and so may be
 * restarted. MariaDB: a database on the machine's shared server, dropped after the scenario; a
 * scenario that restarts its database gets a server of its own instead ({@link MariaDbServer}),
 * stopped after it, because the shared one serves other tests meanwhile.
 */
final class Databases implements AutoCloseable {
  private final Path logDir;
  private PostgresServer postgres;
  private int created;

  Databases(Path logDir) {
    this.logDir = logDir;
  }

  /** A fresh database for {@code scenario}, which leaves the server running. */
  DatabaseLease fresh(Engine engine, String scenario) throws Exception {
    return switch (engine) {
      case POSTGRESQL -> new DatabaseLease(postgres().database(name(scenario)), () -> {});
      case MARIADB -> {
        MariaDbDatabase maria = new MariaDbDatabase(); // skips or fails when unreachable
        String[] args = maria.connectionArgs();
        FaultDatabase db = new FaultDatabase("mariadb", args[0], args[1], args[2], null);
        yield new DatabaseLease(db, maria);
      }
    };
  }

  /** A fresh database for {@code scenario} on a server it may restart ({@code db.server()}). */
  DatabaseLease restartable(Engine engine, String scenario) throws Exception {
    return switch (engine) {
      case POSTGRESQL -> fresh(engine, scenario);
      case MARIADB -> privateMariaDb(scenario);
    };
  }

  private DatabaseLease privateMariaDb(String scenario) throws Exception {
    MariaDbServer server = MariaDbServer.startOrSkip(logDir);
    try {
      return new DatabaseLease(server.database(name(scenario)), server);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private PostgresServer postgres() throws Exception {
    if (postgres == null) postgres = new PostgresServer(logDir);
    return postgres;
  }

  private String name(String scenario) {
    return "fault_" + scenario + "_" + (++created);
  }

  @Override
  public void close() {
    if (postgres != null) postgres.close();
  }
}
