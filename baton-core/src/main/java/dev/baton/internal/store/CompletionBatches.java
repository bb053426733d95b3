package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerKey;

/**
 * Quartz's {@code triggeredJobComplete} for a group of finished executions in a few statements, the
 * completion half of {@link TriggerBatches}; written by {@link CompletionGroupCommit}'s committer.
 */
final class CompletionBatches {
  // A group's rows go in one statement per table, not one per row: FIRED_TRIGGERS holds a few live
  // rows among many dead ones, and PostgreSQL may plan a scan of it, paid once per group this way.
  private static final String DELETE_SIMPLE = "DELETE FROM {0}SIMPLE_TRIGGERS WHERE SCHED_NAME = ? AND (";
  private static final String DELETE_CRON = "DELETE FROM {0}CRON_TRIGGERS WHERE SCHED_NAME = ? AND (";
  private static final String DELETE_TRIGGER = "DELETE FROM {0}TRIGGERS WHERE SCHED_NAME = ? AND (";
  // Entry ids are the primary key and this node's own (FiredEntries#own checked them in this
  // transaction); the node is not repeated here, lest the planner prefer its index (see FiredEntries).
  private static final String DELETE_FIRED = "DELETE FROM {0}FIRED_TRIGGERS WHERE SCHED_NAME = ? AND ENTRY_ID IN (";
  private static final String LOCK_FINISHED =
      "SELECT TRIGGER_NAME, TRIGGER_GROUP, TRIGGER_TYPE, NEXT_FIRE_TIME FROM {0}TRIGGERS WHERE SCHED_NAME = ? AND (";
  private static final String LOCK_SIMPLE =
      "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM {0}SIMPLE_TRIGGERS WHERE SCHED_NAME = ? AND (";
  private static final String LOCK_CRON =
      "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM {0}CRON_TRIGGERS WHERE SCHED_NAME = ? AND (";

  private final BatonJobStore store;

  CompletionBatches(BatonJobStore store) {
    this.store = store;
  }

  /**
   * Quartz's {@code triggeredJobComplete} for the completions that need no cluster lock, in the
   * caller's transaction, which holds no {@code TRIGGER_ACCESS}: executions of concurrent jobs that
   * persist no job data, of a recurring trigger or of a finished one-shot. Each writes only rows of
   * its own: it forgets this node's fired-trigger entry and deletes a finished one-shot's trigger,
   * whose rows are locked first and deleted only if it still has no next fire time (a reschedule
   * meanwhile keeps it, as in Quartz). Rows another transaction holds are skipped, never waited for
   * while holding others (see {@link FastLane}): such a completion takes the locked path instead.
   * An entry the cluster took back is left alone (see {@link
   * BatonJobStore#triggeredJobComplete}). Returns the completions that need Quartz's own path
   * (blocking siblings, job data, non-durable jobs, other instructions), to be written under the
   * lock.
   */
  List<CompletionGroupCommit.Completion> completeWithoutLock(
      Connection conn, List<CompletionGroupCommit.Completion> group) throws JobPersistenceException {
    try {
      List<String> ids = new ArrayList<>(group.size());
      for (CompletionGroupCommit.Completion c : group) ids.add(c.trigger.getFireInstanceId());
      Map<String, FiredEntries.Entry> own = FiredEntries.own(store, conn, ids);
      List<CompletionGroupCommit.Completion> done = new ArrayList<>();
      List<CompletionGroupCommit.Completion> rest = new ArrayList<>();
      Map<TriggerKey, CompletionGroupCommit.Completion> finishedOneShots = new HashMap<>();
      for (CompletionGroupCommit.Completion c : group) {
        FiredEntries.Entry entry = own.get(c.trigger.getFireInstanceId());
        if (entry == null) {
          store.logLateCompletion(c.trigger, c.job);
          continue;
        }
        boolean plain = !c.job.isConcurrentExecutionDisallowed() && !c.job.isPersistJobDataAfterExecution();
        boolean finishedOneShot =
            c.instruction == CompletedExecutionInstruction.DELETE_TRIGGER && c.trigger.getNextFireTime() == null;
        String type = entry.triggerType();
        if (plain && (c.instruction == CompletedExecutionInstruction.NOOP
            || (finishedOneShot && entry.triggerState() == null))) {
          done.add(c); // nothing to do but forget the execution (a one-shot's trigger may be gone)
        } else if (plain && finishedOneShot && c.job.isDurable()
            && ("SIMPLE".equals(type) || "CRON".equals(type))) {
          done.add(c);
          finishedOneShots.put(c.trigger.getKey(), c);
        } else {
          rest.add(c);
        }
      }
      List<TriggerKey> deleteSimple = new ArrayList<>();
      List<TriggerKey> deleteCron = new ArrayList<>();
      if (!finishedOneShots.isEmpty()) {
        Set<TriggerKey> busy = lockFinished(conn, finishedOneShots.keySet(), deleteSimple, deleteCron);
        for (TriggerKey key : busy) {
          CompletionGroupCommit.Completion c = finishedOneShots.get(key);
          done.remove(c);
          rest.add(c);
        }
      }
      deleteTriggers(conn, DELETE_SIMPLE, deleteSimple);
      deleteTriggers(conn, DELETE_CRON, deleteCron);
      List<TriggerKey> deleted = new ArrayList<>(deleteSimple);
      deleted.addAll(deleteCron);
      deleteTriggers(conn, DELETE_TRIGGER, deleted);
      if (!done.isEmpty()) {
        try (PreparedStatement ps =
            conn.prepareStatement(store.sql(DELETE_FIRED + TriggerBatches.placeholders(done.size())))) {
          int i = 1;
          ps.setString(i++, store.schedulerName());
          for (CompletionGroupCommit.Completion c : done) ps.setString(i++, c.trigger.getFireInstanceId());
          ps.executeUpdate();
        }
      }
      return rest;
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't complete executions: " + e.getMessage(), e);
    }
  }

  /**
   * Locks the rows of the given finished one-shots, skipping rows others hold, and sorts those that
   * still have no next fire time by type, their type rows locked too. Returns the triggers whose
   * rows could not all be locked (held by another transaction, or gone): their completions take
   * Quartz's path under the cluster lock.
   */
  private Set<TriggerKey> lockFinished(Connection conn, Set<TriggerKey> keys, List<TriggerKey> simple,
      List<TriggerKey> cron) throws SQLException, JobPersistenceException {
    String skipLocked = RowLocks.skipLocked(store.dialect(conn));
    Set<TriggerKey> busy = new HashSet<>(keys);
    List<TriggerKey> simpleCandidates = new ArrayList<>();
    List<TriggerKey> cronCandidates = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(store.sql(LOCK_FINISHED + anyKeys(keys.size()) + skipLocked))) {
      TriggerBatches.bindKeys(ps, store.schedulerName(), keys);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TriggerKey key = new TriggerKey(rs.getString(1), rs.getString(2));
          busy.remove(key);
          if (rs.getLong(4) > 0) continue; // rescheduled while it ran: kept
          String type = rs.getString(3);
          if ("SIMPLE".equals(type)) simpleCandidates.add(key);
          else if ("CRON".equals(type)) cronCandidates.add(key);
          else busy.add(key);
        }
      }
    }
    simple.addAll(lockTypeRows(conn, LOCK_SIMPLE, simpleCandidates, skipLocked, busy));
    cron.addAll(lockTypeRows(conn, LOCK_CRON, cronCandidates, skipLocked, busy));
    return busy;
  }

  private List<TriggerKey> lockTypeRows(Connection conn, String select, List<TriggerKey> keys, String skipLocked,
      Set<TriggerKey> busy) throws SQLException {
    if (keys.isEmpty()) return keys;
    Set<TriggerKey> locked = new HashSet<>();
    try (PreparedStatement ps = conn.prepareStatement(store.sql(select + anyKeys(keys.size()) + skipLocked))) {
      TriggerBatches.bindKeys(ps, store.schedulerName(), keys);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) locked.add(new TriggerKey(rs.getString(1), rs.getString(2)));
      }
    }
    List<TriggerKey> out = new ArrayList<>();
    for (TriggerKey k : keys) {
      if (locked.contains(k)) out.add(k);
      else busy.add(k);
    }
    return out;
  }

  private static String anyKeys(int n) {
    return TriggerBatches.anyKey("TRIGGER_NAME", "TRIGGER_GROUP", n) + ")";
  }

  private void deleteTriggers(Connection conn, String sql, List<TriggerKey> keys) throws SQLException {
    if (keys.isEmpty()) return;
    try (PreparedStatement ps = conn.prepareStatement(store.sql(sql + anyKeys(keys.size())))) {
      TriggerBatches.bindKeys(ps, store.schedulerName(), keys);
      ps.executeUpdate();
    }
  }
}
