package dev.baton;

import dev.baton.internal.database.Dialect;


/** The database behind the DataSource is not one Baton supports; nothing was written to it. */
public final class UnsupportedDatabaseException extends BatonException {
  private static final long serialVersionUID = 1L;

  public UnsupportedDatabaseException(String product, String version) {
    super(
        "Unsupported database "
            + product
            + " "
            + version
            + ". Baton supports "
            + Dialect.SUPPORTED
            + "; point the DataSource at one of those.");
  }
}
