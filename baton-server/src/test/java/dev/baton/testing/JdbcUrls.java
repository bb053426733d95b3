package dev.baton.testing;

/**
 * The JDBC URL of a test database, so that a node can be started on it by URL like an operator
 * would.
 */
public final class JdbcUrls {
  private JdbcUrls() {}

  public static String of(TestDatabase db) {
    return db.config().getJdbcUrl();
  }

  public static String user(TestDatabase db) {
    return db instanceof PostgresDatabase ? "postgres" : db.config().getUsername();
  }
}
