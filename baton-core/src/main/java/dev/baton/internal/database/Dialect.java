package dev.baton.internal.database;

import dev.baton.UnsupportedDatabaseException;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * The database families Baton supports, detected once from connection metadata. Anything else is
 * refused: there is no silent "generic SQL" fallback.
 */
public enum Dialect {
  H2("h2"),
  POSTGRESQL("postgresql"),
  /** MySQL 8+ and MariaDB 10.6+, which share one SQL dialect for Baton's purposes. */
  MYSQL("mysql");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  /** The classpath folder holding this dialect's Flyway migrations. */
  public String migrationLocation() {
    return "classpath:dev/baton/db/" + migrationFolder;
  }

  /**
   * Detects the dialect, or throws {@link UnsupportedDatabaseException} naming what is supported.
   */
  public static Dialect detect(DatabaseMetaData meta) throws SQLException {
    String product = meta.getDatabaseProductName();
    String version = meta.getDatabaseProductVersion();
    int major = meta.getDatabaseMajorVersion();
    int minor = meta.getDatabaseMinorVersion();
    String p = product == null ? "" : product.toLowerCase(java.util.Locale.ROOT);
    boolean mariaDb = p.contains("mariadb") || (version != null && version.contains("MariaDB"));
    if (p.equals("h2")) {
      if (major >= 2) return H2;
    } else if (p.equals("postgresql")) {
      if (major >= 13) return POSTGRESQL;
    } else if (mariaDb) {
      int[] mv = mariaDbVersion(version, major, minor);
      if (mv[0] > 10 || (mv[0] == 10 && mv[1] >= 6)) return MYSQL;
    } else if (p.equals("mysql")) {
      if (major >= 8) return MYSQL;
    }
    throw new UnsupportedDatabaseException(product, version);
  }

  /** MySQL Connector/J reports MariaDB as "5.5.5-10.11.6-MariaDB"; take the real version. */
  private static int[] mariaDbVersion(String version, int major, int minor) {
    if (version != null) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+-MariaDB").matcher(version);
      if (m.find()) return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
    return new int[] {major, minor};
  }
}
