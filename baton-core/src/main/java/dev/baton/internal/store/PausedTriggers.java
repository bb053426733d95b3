package dev.baton.internal.store;

import static org.quartz.impl.jdbcjobstore.Constants.STATE_ACQUIRED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_BLOCKED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED_BLOCKED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_WAITING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;

/**
 * Pause, resume and replace of one trigger as the fast lane needs them. A fast-lane firing changes
 * a trigger's state without the cluster lock, so Quartz's read-then-blind-write would overwrite it:
 * a pause here is one compare-and-set per state, a resume locks the row and acts only on a paused
 * trigger, and a replacement of a paused trigger stays paused. Each runs in the caller's
 * transaction, under {@code TRIGGER_ACCESS}.
 */
final class PausedTriggers {
  private final StoreContext ctx;

  PausedTriggers(StoreContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Pauses a trigger with one compare-and-set per state instead of Quartz's read and blind write: a
   * fast-lane firing may change the state in between (e.g. a last firing's COMPLETE).
   */
  void pause(Connection conn, TriggerKey key) throws JobPersistenceException {
    try {
      ctx.delegate()
          .updateTriggerStateFromOtherStates(
              conn, key, STATE_PAUSED, STATE_WAITING, STATE_ACQUIRED, STATE_ACQUIRED);
      ctx.delegate()
          .updateTriggerStateFromOtherState(conn, key, STATE_PAUSED_BLOCKED, STATE_BLOCKED);
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Couldn't pause trigger '" + key + "': " + e.getMessage(), e);
    }
  }

  /**
   * Whether a trigger is paused, its row locked first so that no fast-lane firing changes it before
   * the caller resumes it. Quartz's resume applies misfire handling to any trigger whose fire time
   * has passed, paused or not, by reading it and writing it back whole: a fast-lane firing
   * committed in between was then replayed (or, for a last firing, the write failed on a trigger
   * with no next fire time).
   */
  boolean lockIfPaused(Connection conn, TriggerKey key) throws JobPersistenceException {
    String state;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().lockTriggerState)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, key.getName());
      ps.setString(3, key.getGroup());
      try (ResultSet rs = ps.executeQuery()) {
        state = rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Couldn't resume trigger '" + key + "': " + e.getMessage(), e);
    }
    return isPaused(state);
  }

  /**
   * Puts a replacement back in pause: Quartz stores it as WAITING unless its group is paused, so a
   * trigger paused by an operator ran again after Spring's {@code overwrite-existing-jobs}
   * re-stored it at the next start (as {@code register} keeps a paused task paused, so does this).
   */
  void keepPaused(Connection conn, TriggerKey was, TriggerKey replacement)
      throws JobPersistenceException {
    try {
      ctx.delegate()
          .updateTriggerStateFromOtherState(conn, replacement, STATE_PAUSED, STATE_WAITING);
      ctx.delegate()
          .updateTriggerStateFromOtherState(conn, replacement, STATE_PAUSED_BLOCKED, STATE_BLOCKED);
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Couldn't keep trigger '" + was + "' paused: " + e.getMessage(), e);
    }
  }

  private static boolean isPaused(String state) {
    return STATE_PAUSED.equals(state) || STATE_PAUSED_BLOCKED.equals(state);
  }
}
