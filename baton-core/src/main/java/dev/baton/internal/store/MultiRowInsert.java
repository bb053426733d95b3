package dev.baton.internal.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Inserts rows into one of Quartz's tables with multi-row {@code INSERT ... VALUES (...), (...)}
 * statements (which every supported database takes), a few per chunk instead of a statement per
 * row; each statement holds at most {@link #ROWS_PER_INSERT} rows and, past the first row, {@link
 * #BYTES_PER_INSERT} bytes of data, to stay well within packet and parameter limits.
 */
final class MultiRowInsert {
  /** Rows per multi-row INSERT, and the data bytes past which a statement is cut short. */
  private static final int ROWS_PER_INSERT = 250;

  private static final int BYTES_PER_INSERT = 1 << 20;

  /** Binds one row's values, in column order. */
  @FunctionalInterface
  interface RowBinder<T> {
    void bind(Params p, T row) throws SQLException, IOException;
  }

  private final BatonJobStore store;

  MultiRowInsert(BatonJobStore store) {
    this.store = store;
  }

  /**
   * Inserts {@code rows} into {@code table} (without its prefix), {@code width} columns a row;
   * {@code bytes} tells how many bytes of data a row carries.
   */
  <T> void into(
      Connection conn, String table, String columns, int width, List<T> rows,
      ToIntFunction<T> bytes, RowBinder<T> binder) throws SQLException, IOException {
    String one = "(" + marks(width) + ")";
    int from = 0;
    while (from < rows.size()) {
      int to = from;
      long size = 0;
      while (to < rows.size() && to - from < ROWS_PER_INSERT) {
        size += bytes.applyAsInt(rows.get(to));
        if (to > from && size > BYTES_PER_INSERT) break;
        to++;
      }
      String sql =
          "INSERT INTO {0}" + table + " (" + columns + ") VALUES "
              + String.join(", ", Collections.nCopies(to - from, one));
      try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
        Params p = new Params(ps);
        for (T row : rows.subList(from, to)) binder.bind(p, row);
        ps.executeUpdate();
      }
      from = to;
    }
  }

  /** {@code n} comma-separated parameter markers. */
  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** Binds parameters one after the other. */
  static final class Params {
    private final PreparedStatement ps;
    private int next = 1;

    private Params(PreparedStatement ps) {
      this.ps = ps;
    }

    Params string(String v) throws SQLException {
      ps.setString(next++, v);
      return this;
    }

    Params longValue(long v) throws SQLException {
      ps.setLong(next++, v);
      return this;
    }

    Params intValue(int v) throws SQLException {
      ps.setInt(next++, v);
      return this;
    }

    Params bool(boolean v) throws SQLException {
      ps.setBoolean(next++, v);
      return this;
    }

    Params bytes(byte[] v) throws SQLException {
      ps.setBytes(next++, v);
      return this;
    }
  }
}
