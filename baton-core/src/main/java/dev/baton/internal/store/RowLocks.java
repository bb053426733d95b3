package dev.baton.internal.store;

import dev.baton.internal.database.Dialect;

/**
 * The one place where the scheduler's SQL differs per database: how a select locks the rows it
 * returns without waiting for rows another transaction holds. The fast lane locks only this way,
 * so none of its transactions ever waits while it holds a lock, and it cannot take part in a
 * deadlock (see {@link FastLane}).
 */
final class RowLocks {
  private RowLocks() {}

  /** Locks the returned rows of a single-table select, skipping rows others hold. */
  static String skipLocked(Dialect dialect) {
    return switch (dialect) {
      // NO KEY UPDATE: the type tables' foreign-key checks take KEY SHARE locks, which it allows.
      case POSTGRESQL -> " FOR NO KEY UPDATE SKIP LOCKED";
      case MYSQL, H2 -> " FOR UPDATE SKIP LOCKED";
    };
  }

  /** Like {@link #skipLocked(Dialect)}, for a select whose other tables are read by subqueries. */
  static String skipLockedOf(Dialect dialect, String alias) {
    return switch (dialect) {
      case POSTGRESQL -> " FOR NO KEY UPDATE OF " + alias + " SKIP LOCKED";
      case MYSQL, H2 -> " FOR UPDATE SKIP LOCKED";
    };
  }

  /**
   * Locks the returned rows, waiting for rows others hold; only for transactions that hold the
   * cluster lock, which may wait for fast-lane transactions because those never wait.
   */
  static String waitingLockOf(Dialect dialect, String alias) {
    return switch (dialect) {
      case POSTGRESQL -> " FOR NO KEY UPDATE OF " + alias;
      case MYSQL, H2 -> " FOR UPDATE";
    };
  }
}
