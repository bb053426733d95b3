package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entries in {@code FIRED_TRIGGERS}: the proof that an acquisition or an execution is
 * still this node's. When the cluster declares a node dead it deletes the node's entries and takes
 * its work back, so every firing, release and completion first checks its entry here, and a commit
 * that failed is checked for having happened by looking for the entries it would have written.
 */
final class FiredEntries {
  /**
   * One of this node's entries: its own state (ACQUIRED or EXECUTING) and its trigger's state,
   * type, job and claim (all null when the trigger is gone).
   */
  record Entry(String triggerState, String triggerType, JobKey job, String claim, String state) {}

  private static final Logger log = LoggerFactory.getLogger(FiredEntries.class);

  private FiredEntries() {}

  /** A firing not made: the cluster took this node's acquisition back. */
  static void logTakenBack(String nodeId, OperableTrigger trigger) {
    log.warn(
        "Node {}: not firing {} due {}: the cluster declared this node dead (paused or cut off"
            + " longer than the failure grace) and took the firing back; another node runs it",
        nodeId,
        trigger.getKey(),
        trigger.getNextFireTime());
  }

  /** A completion not written: the cluster took this node's execution back. */
  static void logLateCompletion(String nodeId, OperableTrigger trigger, JobDetail job) {
    log.warn(
        "Node {}: execution of {} (trigger {}) finished after the cluster declared this node"
            + " dead and took its work back; trigger states left to the nodes that own them",
        nodeId,
        job.getKey(),
        trigger.getKey());
  }

  /** This node's entries among the given fire instances, by fire instance id. */
  static Map<String, Entry> own(StoreContext ctx, Connection conn, List<String> fireInstanceIds)
      throws SQLException {
    Map<String, Entry> own = new HashMap<>();
    if (fireInstanceIds.isEmpty()) return own;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().entries(fireInstanceIds.size()))) {
      ps.setString(1, ctx.schedulerName());
      ctx.sql().bindAmong(ps, 2, fireInstanceIds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!ctx.nodeId().equals(rs.getString(8))) continue;
          JobKey job =
              rs.getString(4) == null ? null : new JobKey(rs.getString(4), rs.getString(5));
          own.put(
              rs.getString(1),
              new Entry(rs.getString(2), rs.getString(3), job, rs.getString(6), rs.getString(7)));
        }
      }
    }
    return own;
  }

  /**
   * Whether {@code trigger}'s fire instance is still one of this node's entries (one key lookup).
   */
  static boolean owns(StoreContext ctx, Connection conn, OperableTrigger trigger)
      throws JobPersistenceException {
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().ownsEntry)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, trigger.getFireInstanceId());
      ps.setString(3, ctx.nodeId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Could not read fired-trigger entry " + trigger.getFireInstanceId() + ": " + e, e);
    }
  }

  /**
   * Marks this node's executing entry {@code fireInstanceId} done (it no longer requests recovery),
   * locking it; false when the entry is gone (see {@link BatonJobStore#claimExecution}).
   */
  static boolean claim(StoreContext ctx, Connection conn, String fireInstanceId)
      throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().claimExecution)) {
      ps.setBoolean(1, false);
      ps.setString(2, ctx.schedulerName());
      ps.setString(3, fireInstanceId);
      ps.setString(4, ctx.nodeId());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Whether this node has an entry (in {@code state}, or in any when null) for one of the given
   * fire instances: did a commit that reported failure happen after all?
   */
  static boolean anyOwn(
      StoreContext ctx, Connection conn, List<String> fireInstanceIds, String state)
      throws JobPersistenceException {
    try {
      for (Entry e : own(ctx, conn, fireInstanceIds).values()) {
        if (state == null || state.equals(e.state())) return true;
      }
      return false;
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not check whether a commit happened: " + e, e);
    }
  }
}
