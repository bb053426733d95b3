package dev.baton.internal.database;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/**
 * Hands Quartz a fresh connection from the application's pool on every call. Quartz commits and
 * closes what it is given, so it must never receive a connection bound to a caller's transaction:
 * pass the raw pool, not a transaction-aware proxy. {@link #shutdown()} leaves the pool open; it
 * belongs to the application.
 */
public final class DataSourceConnectionProvider implements ConnectionProvider {
  private final DataSource dataSource;

  public DataSourceConnectionProvider(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public void shutdown() {
    // The pool is the application's; closing it here would break the application.
  }

  @Override
  public void initialize() {
    // Nothing to do: the DataSource is ready when it is handed to Baton.
  }
}
