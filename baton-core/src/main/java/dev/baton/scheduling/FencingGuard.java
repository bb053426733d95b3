package dev.baton.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Guards a write to a resource outside Baton's transaction with an execution's {@linkplain
 * Executions#fencingToken fencing token}: the resource keeps the highest token it has accepted and
 * refuses a writer whose token is not higher. A stalled execution the cluster took back wakes up
 * with a lower token than its successor's, so its late write is refused instead of overwriting.
 *
 * <pre>{@code
 * if (FencingGuard.advance(conn, "invoice_run", "id", 1, "fencing_token", token)) {
 *   ... write, in the same transaction as the advance ...
 * }
 * }</pre>
 *
 * The row must exist, with the token column NOT NULL (start it at 0). Table and column names are
 * identifiers, checked, never values.
 */
public final class FencingGuard {
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  private FencingGuard() {}

  /**
   * Sets {@code tokenColumn} of the row whose {@code keyColumn} is {@code key} to {@code token} if
   * the stored token is lower: one conditional update, in the caller's transaction. Returns whether
   * it was (the writer may go on) or not (a writer with a newer token came first).
   *
   * @throws IllegalArgumentException when a table or column name is not a plain identifier
   */
  public static boolean advance(
      Connection connection,
      String table,
      String keyColumn,
      Object key,
      String tokenColumn,
      long token)
      throws SQLException {
    String sql =
        "UPDATE "
            + identifier("table", table)
            + " SET "
            + identifier("tokenColumn", tokenColumn)
            + " = ? WHERE "
            + identifier("keyColumn", keyColumn)
            + " = ? AND "
            + tokenColumn
            + " < ?";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setLong(1, token);
      ps.setObject(2, key);
      ps.setLong(3, token);
      return ps.executeUpdate() > 0;
    }
  }

  private static String identifier(String what, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " must be a plain SQL identifier (letters, digits, _; schema.table allowed), got '"
              + name
              + "'");
    }
    return name;
  }
}
