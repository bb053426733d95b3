package dev.baton.internal.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

  private MultiRowInsert() {}

  /** Inserts {@code rows}; {@code bytes} tells how many bytes of data a row carries. */
  static <T> void into(
      Connection conn,
      SchedulerSql.RowsInsert insert,
      List<T> rows,
      ToIntFunction<T> bytes,
      RowBinder<T> binder)
      throws SQLException, IOException {
    int from = 0;
    while (from < rows.size()) {
      int to = from;
      long size = 0;
      while (to < rows.size() && to - from < ROWS_PER_INSERT) {
        size += bytes.applyAsInt(rows.get(to));
        if (to > from && size > BYTES_PER_INSERT) break;
        to++;
      }
      try (PreparedStatement ps = conn.prepareStatement(insert.sql(to - from))) {
        Params p = new Params(ps);
        for (T row : rows.subList(from, to)) binder.bind(p, row);
        ps.executeUpdate();
      }
      from = to;
    }
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
