package dev.baton.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * The database of one scenario: its URL and credentials for the node processes and for the
 * harness's own checks (plain JDBC connections, so that a database restart cannot leave a broken
 * pool behind), and the server when it can be restarted.
 *
 * @param kind postgresql or mariadb
 * @param server the server, for restarts; null when the suite cannot restart it
 */
record FaultDatabase(String kind, String url, String user, String password, Server server) {

  /** A database server the suite can restart in place. */
  interface Server {
    Outage restart(Duration downtime) throws Exception;
  }

  /**
   * A database outage.
   *
   * @param requested when the stop was requested
   * @param stopped when the server process had exited
   * @param back when it accepted connections again
   */
  record Outage(Instant requested, Instant stopped, Instant back) {}

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** Runs statements on a fresh connection. */
  void execute(String... sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String q : sql) s.execute(q);
    } catch (SQLException e) {
      throw new IllegalStateException("fault suite SQL failed: " + e.getMessage(), e);
    }
  }

  boolean isPostgres() {
    return kind.equals("postgresql");
  }
}
