package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.quartz.TriggerKey;

/**
 * The reset of triggers in ERROR, which Baton runs at every start and on demand. Stock Quartz leaves
 * them there until someone resets each by hand; most got there by a fault that is gone (a class
 * missing on one node, a database error mid-firing). One set-based pass puts every one back where it
 * belongs: PAUSED when its group is paused, BLOCKED when its non-concurrent job is executing
 * somewhere, WAITING otherwise. Runs under {@code TRIGGER_ACCESS}, in the caller's transaction.
 */
final class ErroredTriggers {
  private static final String SELECT_ERRORED =
      "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM {0}TRIGGERS WHERE SCHED_NAME = ?"
          + " AND TRIGGER_STATE = 'ERROR' ORDER BY TRIGGER_GROUP, TRIGGER_NAME";

  private static final String RESET_ERRORED =
      "UPDATE {0}TRIGGERS SET TRIGGER_STATE = CASE"
          + " WHEN EXISTS (SELECT 1 FROM {0}PAUSED_TRIGGER_GRPS P WHERE P.SCHED_NAME ="
          + " {0}TRIGGERS.SCHED_NAME AND (P.TRIGGER_GROUP = {0}TRIGGERS.TRIGGER_GROUP"
          + " OR P.TRIGGER_GROUP = '_$_ALL_GROUPS_PAUSED_$_')) THEN 'PAUSED'"
          + " WHEN EXISTS (SELECT 1 FROM {0}FIRED_TRIGGERS F WHERE F.SCHED_NAME ="
          + " {0}TRIGGERS.SCHED_NAME AND F.JOB_NAME = {0}TRIGGERS.JOB_NAME AND F.JOB_GROUP ="
          + " {0}TRIGGERS.JOB_GROUP AND F.IS_NONCONCURRENT = ? AND F.STATE = 'EXECUTING')"
          + " THEN 'BLOCKED' ELSE 'WAITING' END"
          + " WHERE SCHED_NAME = ? AND TRIGGER_STATE = 'ERROR'";

  private final BatonJobStore store;

  ErroredTriggers(BatonJobStore store) {
    this.store = store;
  }

  /** Puts every trigger in ERROR back in service; returns their keys, in key order. */
  List<TriggerKey> reset(Connection conn) throws SQLException {
    List<TriggerKey> keys = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(store.sql(SELECT_ERRORED))) {
      ps.setString(1, store.schedulerName());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) keys.add(new TriggerKey(rs.getString(1), rs.getString(2)));
      }
    }
    if (keys.isEmpty()) return keys;
    try (PreparedStatement ps = conn.prepareStatement(store.sql(RESET_ERRORED))) {
      ps.setBoolean(1, true);
      ps.setString(2, store.schedulerName());
      ps.executeUpdate();
    }
    return keys;
  }
}
