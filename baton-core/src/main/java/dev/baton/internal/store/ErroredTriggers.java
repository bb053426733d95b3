package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.quartz.TriggerKey;

/**
 * The reset of triggers in ERROR, which Baton runs at every start and on demand. Stock Quartz
 * leaves them there until someone resets each by hand; most got there by a fault that is gone (a
 * class missing on one node, a database error mid-firing). One set-based pass puts every one back
 * where it belongs: PAUSED when its group is paused, BLOCKED when its non-concurrent job is
 * executing somewhere ({@link NonConcurrency}'s rule, in SQL), WAITING otherwise. Runs under {@code
 * TRIGGER_ACCESS}, in the caller's transaction.
 */
final class ErroredTriggers {
  private final StoreContext ctx;

  ErroredTriggers(StoreContext ctx) {
    this.ctx = ctx;
  }

  /** Puts every trigger in ERROR back in service; returns their keys, in key order. */
  List<TriggerKey> reset(Connection conn) throws SQLException {
    List<TriggerKey> keys = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().selectErrored)) {
      ps.setString(1, ctx.schedulerName());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) keys.add(new TriggerKey(rs.getString(1), rs.getString(2)));
      }
    }
    if (keys.isEmpty()) return keys;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().resetErrored)) {
      ps.setBoolean(1, true);
      ps.setString(2, ctx.schedulerName());
      ps.executeUpdate();
    }
    return keys;
  }
}
