package dev.baton.internal.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's one notion of "now": the database server's clock, as seen from this node.
 *
 * <p>Each measurement reads the database's time in epoch milliseconds (computed inside the
 * statement, so no session time zone is involved) and this node's monotonic clock ({@link
 * System#nanoTime()}) before and after the query; the database's reading is taken to belong to the
 * midpoint, which is right to within half the round trip. Between measurements the database time is
 * extrapolated on the monotonic clock, so a step of this machine's wall clock (NTP, an operator, a
 * VM resumed) changes nothing until Baton compares it with the wall clock again: {@link
 * #offsetMillis()} is recomputed at every call.
 *
 * <p>A measurement whose uncertainty interval contains what the current anchor predicts is
 * consistent with it and is kept only when more precise (or when the anchor is old), so a slow
 * round trip (a GC pause, a busy database) does not make the clock worse.
 *
 * <p><b>When the database cannot be read</b>, the last measurement keeps being extrapolated: the
 * node's monotonic clock drifts by parts per million, so an outage of minutes costs well under a
 * millisecond. Before the first successful measurement, {@link #now()} tries to measure (at most
 * once a second) and otherwise answers this node's wall clock.
 */
public final class DatabaseClock {
  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

  /** An anchor older than this is replaced by any new measurement, however imprecise. */
  private static final long MAX_ANCHOR_AGE_NANOS = TimeUnit.MINUTES.toNanos(10);

  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Database time {@code dbMicros} (epoch microseconds) at monotonic time {@code nanos}. */
  private record Anchor(long dbMicros, long nanos, long roundTripNanos) {
    long predictMicros(long atNanos) {
      return dbMicros + (atNanos - nanos) / 1_000;
    }
  }

  private final DataSource dataSource;
  private final String nowMicrosSql;
  private volatile Anchor anchor;
  private volatile long lastAttemptNanos = System.nanoTime() - RETRY_NANOS;

  /**
   * @param dataSource used only when {@link #now()} is asked before any measurement; may be null
   * @param nowMicrosSql the dialect's query for the database's time in epoch microseconds
   */
  public DatabaseClock(DataSource dataSource, String nowMicrosSql) {
    this.dataSource = dataSource;
    this.nowMicrosSql = nowMicrosSql;
  }

  /** Now on the database's clock, in epoch milliseconds. */
  public long now() {
    Anchor a = anchor;
    if (a == null) a = firstAnchor();
    if (a == null) return System.currentTimeMillis();
    return Math.floorDiv(a.predictMicros(System.nanoTime()), 1_000);
  }

  /** Database time minus this node's wall-clock time, in milliseconds; 0 before any measurement. */
  public long offsetMillis() {
    Anchor a = anchor;
    if (a == null) return 0;
    return Math.floorDiv(a.predictMicros(System.nanoTime()), 1_000) - System.currentTimeMillis();
  }

  /** A database time as this node's wall clock reads it at that moment (if the offset holds). */
  public long toLocal(long databaseMillis) {
    return databaseMillis - offsetMillis();
  }

  /**
   * How long until the database's clock reads {@code databaseMillis} beyond doubt — past it by half
   * the round trip of the reading in use, the most the reading can be off — in nanoseconds on the
   * monotonic clock; zero or less if it already does.
   */
  public long nanosUntil(long databaseMillis) {
    Anchor a = anchor;
    if (a == null)
      return TimeUnit.MILLISECONDS.toNanos(databaseMillis - System.currentTimeMillis());
    long micros =
        databaseMillis * 1_000 + a.roundTripNanos / 2_000 - a.predictMicros(System.nanoTime());
    return micros * 1_000;
  }

  /** Whether the database's time has been read at least once. */
  public boolean measured() {
    return anchor != null;
  }

  /**
   * The round trip of the measurement in use, in milliseconds (the offset is right to half of it);
   * -1 before any.
   */
  public long precisionMillis() {
    Anchor a = anchor;
    return a == null ? -1 : TimeUnit.NANOSECONDS.toMillis(a.roundTripNanos);
  }

  /**
   * Reads the database's time on the given connection (inside the caller's transaction is fine) and
   * updates the anchor.
   *
   * @return the offset in use afterwards ({@link #offsetMillis()})
   */
  public long measure(Connection conn) throws SQLException {
    long dbMicros;
    long before;
    long after;
    try (PreparedStatement ps = conn.prepareStatement(nowMicrosSql)) {
      before = System.nanoTime();
      try (ResultSet rs = ps.executeQuery()) {
        after = System.nanoTime();
        if (!rs.next()) throw new SQLException("the database returned no time");
        dbMicros = rs.getLong(1);
      }
    }
    accept(new Anchor(dbMicros, before + (after - before) / 2, after - before));
    return offsetMillis();
  }

  /** Measures on a connection of its own (autocommit); false when the database cannot be read. */
  public boolean measure() {
    if (dataSource == null) return false;
    lastAttemptNanos = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      measure(c);
      return true;
    } catch (SQLException | RuntimeException e) {
      log.debug("Could not read the database's clock: {}", e.toString());
      return false;
    }
  }

  private synchronized Anchor firstAnchor() {
    if (anchor == null && System.nanoTime() - lastAttemptNanos >= RETRY_NANOS) {
      if (!measure()) {
        log.warn(
            "Could not read the database's clock; using this node's clock until it can be read");
      }
    }
    return anchor;
  }

  private synchronized void accept(Anchor fresh) {
    Anchor a = anchor;
    if (a != null
        && fresh.nanos - a.nanos < MAX_ANCHOR_AGE_NANOS
        && fresh.roundTripNanos > a.roundTripNanos) {
      // Less precise than the anchor: keep the anchor if the new reading is consistent with it.
      long predicted = a.predictMicros(fresh.nanos);
      long halfRoundTrip = fresh.roundTripNanos / 2_000 + 1_000;
      if (Math.abs(predicted - fresh.dbMicros) <= halfRoundTrip) return;
    }
    long before = a == null ? 0 : Math.floorDiv(a.predictMicros(fresh.nanos), 1_000);
    anchor = fresh;
    if (a == null) {
      log.info(
          "Database clock read: this node's clock is {} ms {} it (round trip {} ms)",
          Math.abs(offsetMillis()),
          offsetMillis() <= 0 ? "ahead of" : "behind",
          TimeUnit.NANOSECONDS.toMillis(fresh.roundTripNanos));
    } else {
      long jump = Math.floorDiv(fresh.dbMicros, 1_000) - before;
      if (Math.abs(jump) > 100) {
        log.warn(
            "Database clock moved {} ms against this node's monotonic clock since it was last"
                + " read (the database's clock stepped, or this node was paused)",
            jump);
      }
    }
  }
}
