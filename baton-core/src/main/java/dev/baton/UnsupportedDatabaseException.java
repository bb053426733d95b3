package dev.baton;

/** The database behind the DataSource is not one Baton supports; nothing was written to it. */
public final class UnsupportedDatabaseException extends BatonException {
  private static final long serialVersionUID = 1L;

  /** The databases Baton supports, as messages name them. */
  public static final String SUPPORTED = "H2 2.x, PostgreSQL 13+, MySQL 8+ and MariaDB 10.6+";

  /** The database {@code product} at {@code version} is not supported. */
  public UnsupportedDatabaseException(String product, String version) {
    super(
        "Unsupported database "
            + product
            + " "
            + version
            + ". Baton supports "
            + SUPPORTED
            + "; point the DataSource at one of those.");
  }
}
