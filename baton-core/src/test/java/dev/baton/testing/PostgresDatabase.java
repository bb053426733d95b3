package dev.baton.testing;

import com.zaxxer.hikari.HikariConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database on a real PostgreSQL server started from Maven Central binaries (zonky), one server
 * per test JVM, a fresh database per test class. Needs nothing installed on the machine.
 */
public final class PostgresDatabase extends TestDatabase {
  private static EmbeddedPostgres server;

  public PostgresDatabase() {
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shared server; started on first use, stopped when the JVM exits. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .start();
      } catch (IOException e) {
        throw new IllegalStateException("Could not start embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException ignored) {
                      // The JVM is exiting.
                    }
                  }));
    }
    return server;
  }

  @Override
  public String kind() {
    return "postgresql";
  }

  @Override
  protected HikariConfig config() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(
        server().getJdbcUrl("postgres", name) + "&options=-c%20TimeZone%3DAmerica/New_York");
    return c;
  }

  @Override
  protected void dropDatabase() {
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException ignored) {
      // Best effort: the server is thrown away with the JVM anyway.
    }
  }
}
