package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quartz.JobKey;

/**
 * This node's entries in {@code FIRED_TRIGGERS}: the proof that an acquisition or an execution is
 * still this node's. When the cluster declares a node dead it deletes the node's entries and takes
 * its work back, so every firing, release and completion first checks its entry here, and a commit
 * that failed is checked for having happened by looking for the entries it would have written.
 */
final class FiredEntries {
  // The given entries, with their trigger's state and job (null if the trigger is gone). The trigger
  // is read by correlated primary-key lookups, not joined: without statistics PostgreSQL joins by
  // scanning the whole table per row. The node is compared here, not in the WHERE clause: given
  // INSTANCE_NAME, PostgreSQL chose the (SCHED_NAME, INSTANCE_NAME) index over the primary key and
  // walked every dead entry the node had left since the last vacuum (3 ms per lookup after 10,000
  // firings).
  private static final String ENTRIES =
      "SELECT F.ENTRY_ID, " + ofTrigger("TRIGGER_STATE") + ", " + ofTrigger("TRIGGER_TYPE") + ", "
          + ofTrigger("JOB_NAME") + ", " + ofTrigger("JOB_GROUP") + ", " + ofTrigger("BATON_CLAIM") + ", F.STATE,"
          + " F.INSTANCE_NAME FROM {0}FIRED_TRIGGERS F WHERE F.SCHED_NAME = ? AND F.ENTRY_ID IN (";

  private static String ofTrigger(String column) {
    return "(SELECT T." + column + " FROM {0}TRIGGERS T WHERE T.SCHED_NAME = F.SCHED_NAME"
        + " AND T.TRIGGER_NAME = F.TRIGGER_NAME AND T.TRIGGER_GROUP = F.TRIGGER_GROUP)";
  }

  /**
   * One of this node's entries: its own state (ACQUIRED or EXECUTING) and its trigger's state,
   * type, job and claim (all null when the trigger is gone).
   */
  record Entry(String triggerState, String triggerType, JobKey job, String claim, String state) {}

  private FiredEntries() {}

  /** This node's entries among the given fire instances, by fire instance id. */
  static Map<String, Entry> own(BatonJobStore store, Connection conn, List<String> fireInstanceIds)
      throws SQLException {
    Map<String, Entry> own = new HashMap<>();
    if (fireInstanceIds.isEmpty()) return own;
    try (PreparedStatement ps =
        conn.prepareStatement(store.sql(ENTRIES + TriggerBatches.placeholders(fireInstanceIds.size())))) {
      int i = 1;
      ps.setString(i++, store.schedulerName());
      for (String id : fireInstanceIds) ps.setString(i++, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!store.nodeId().equals(rs.getString(8))) continue;
          JobKey job = rs.getString(4) == null ? null : new JobKey(rs.getString(4), rs.getString(5));
          own.put(rs.getString(1), new Entry(rs.getString(2), rs.getString(3), job, rs.getString(6), rs.getString(7)));
        }
      }
    }
    return own;
  }

  private static final String OWNS =
      "SELECT 1 FROM {0}FIRED_TRIGGERS WHERE SCHED_NAME = ? AND ENTRY_ID = ? AND INSTANCE_NAME = ?";

  /** Whether {@code fireInstanceId} is still one of this node's entries (one key lookup). */
  static boolean owns(BatonJobStore store, Connection conn, String fireInstanceId) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(store.sql(OWNS))) {
      ps.setString(1, store.schedulerName());
      ps.setString(2, fireInstanceId);
      ps.setString(3, store.nodeId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Whether this node has an entry (in {@code state}, or in any when null) for one of the given
   * fire instances: did a commit that reported failure happen after all?
   */
  static boolean anyOwn(BatonJobStore store, Connection conn, List<String> fireInstanceIds, String state)
      throws SQLException {
    for (Entry e : own(store, conn, fireInstanceIds).values()) {
      if (state == null || state.equals(e.state())) return true;
    }
    return false;
  }
}
