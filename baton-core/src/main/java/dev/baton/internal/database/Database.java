package dev.baton.internal.database;

import dev.baton.DatabaseUnavailableException;
import dev.baton.UnsupportedDatabaseException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's database as Baton sees it: its dialect and a description for logs and errors.
 * {@link #connect} waits for the database to become reachable, with backoff, for a bounded time.
 */
public record Database(DataSource dataSource, Dialect dialect, String description) {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /**
   * Opens one connection to learn the dialect, retrying with exponential backoff (100 ms doubling
   * up to 2 s) until {@code timeout} has passed.
   *
   * @throws UnsupportedDatabaseException at once, without retrying, for an unsupported database
   * @throws DatabaseUnavailableException when no connection could be had within the timeout
   */
  public static Database connect(DataSource dataSource, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMillis = 100;
    int attempts = 0;
    while (true) {
      attempts++;
      try (Connection c = dataSource.getConnection()) {
        DatabaseMetaData meta = c.getMetaData();
        Dialect dialect = Dialect.detect(meta);
        String description =
            meta.getDatabaseProductName()
                + " "
                + meta.getDatabaseProductVersion()
                + " at "
                + meta.getURL();
        log.info("Database {} detected as dialect {}", description, dialect);
        return new Database(dataSource, dialect, description);
      } catch (SQLException | RuntimeException e) {
        if (e instanceof UnsupportedDatabaseException u) throw u;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new DatabaseUnavailableException(
              "Database unreachable after "
                  + attempts
                  + " attempts in "
                  + timeout.toMillis()
                  + " ms: "
                  + e.getMessage()
                  + ". Check the JDBC URL, credentials and that the server is up, or raise"
                  + " BatonBuilder.startupTimeout.",
              e);
        }
        log.warn(
            "Database not reachable yet (attempt {}): {}; retrying in {} ms",
            attempts,
            e.getMessage(),
            backoffMillis);
        sleep(Math.min(backoffMillis, Math.max(1, left / 1_000_000)));
        backoffMillis = Math.min(backoffMillis * 2, 2000);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new DatabaseUnavailableException("Interrupted while waiting for the database", ie);
    }
  }
}
