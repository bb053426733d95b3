package dev.baton.internal.store;

import static org.quartz.impl.jdbcjobstore.Constants.TTYPE_CRON;
import static org.quartz.impl.jdbcjobstore.Constants.TTYPE_SIMPLE;

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
  private final StoreContext ctx;

  CompletionBatches(StoreContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Quartz's {@code triggeredJobComplete} for the completions that need no cluster lock, in the
   * caller's transaction, which holds no {@code TRIGGER_ACCESS}: executions of concurrent jobs that
   * persist no job data, of a recurring trigger or of a finished one-shot. Each writes only rows of
   * its own: it forgets this node's fired-trigger entry and deletes a finished one-shot's trigger,
   * whose rows are locked first and deleted only if it still has no next fire time (a reschedule
   * meanwhile keeps it, as in Quartz). Rows another transaction holds are skipped, never waited for
   * while holding others (see {@link FastLane}): such a completion takes the locked path instead.
   * An entry the cluster took back is left alone (see {@link BatonJobStore#triggeredJobComplete}).
   * Returns the completions that need Quartz's own path (blocking siblings, job data, non-durable
   * jobs, other instructions), to be written under the lock.
   */
  List<CompletionGroupCommit.Finished> completeWithoutLock(
      Connection conn, List<CompletionGroupCommit.Finished> group) throws JobPersistenceException {
    try {
      List<String> ids = new ArrayList<>(group.size());
      for (CompletionGroupCommit.Finished c : group) ids.add(c.trigger.getFireInstanceId());
      Map<String, FiredEntries.Entry> own = FiredEntries.own(ctx, conn, ids);
      List<CompletionGroupCommit.Finished> done = new ArrayList<>();
      List<CompletionGroupCommit.Finished> rest = new ArrayList<>();
      Map<TriggerKey, CompletionGroupCommit.Finished> finishedOneShots = new HashMap<>();
      for (CompletionGroupCommit.Finished c : group) {
        FiredEntries.Entry entry = own.get(c.trigger.getFireInstanceId());
        if (entry == null) {
          FiredEntries.logLateCompletion(ctx.nodeId(), c.trigger, c.job);
          continue;
        }
        boolean plain =
            !NonConcurrency.blocksOthers(c.job) && !c.job.isPersistJobDataAfterExecution();
        boolean finishedOneShot =
            c.instruction == CompletedExecutionInstruction.DELETE_TRIGGER
                && c.trigger.getNextFireTime() == null;
        String type = entry.triggerType();
        if (plain
            && (c.instruction == CompletedExecutionInstruction.NOOP
                || (finishedOneShot && entry.triggerState() == null))) {
          done.add(c); // nothing to do but forget the execution (a one-shot's trigger may be gone)
        } else if (plain
            && finishedOneShot
            && c.job.isDurable()
            && SchedulerSql.simpleOrCron(type)) {
          done.add(c);
          finishedOneShots.put(c.trigger.getKey(), c);
        } else {
          rest.add(c);
        }
      }
      List<TriggerKey> deleteSimple = new ArrayList<>();
      List<TriggerKey> deleteCron = new ArrayList<>();
      if (!finishedOneShots.isEmpty()) {
        Set<TriggerKey> busy =
            lockFinished(conn, finishedOneShots.keySet(), deleteSimple, deleteCron);
        for (TriggerKey key : busy) {
          CompletionGroupCommit.Finished c = finishedOneShots.get(key);
          done.remove(c);
          rest.add(c);
        }
      }
      // A group's rows go in one statement per table, not one per row: FIRED_TRIGGERS holds a
      // few live rows among many dead ones, and PostgreSQL may plan a scan of it, paid once per
      // group this way.
      deleteTriggers(conn, "SIMPLE_TRIGGERS", deleteSimple);
      deleteTriggers(conn, "CRON_TRIGGERS", deleteCron);
      List<TriggerKey> deleted = new ArrayList<>(deleteSimple);
      deleted.addAll(deleteCron);
      deleteTriggers(conn, "TRIGGERS", deleted);
      if (!done.isEmpty()) {
        List<String> doneIds = new ArrayList<>(done.size());
        for (CompletionGroupCommit.Finished c : done) doneIds.add(c.trigger.getFireInstanceId());
        try (PreparedStatement ps =
            conn.prepareStatement(ctx.sql().deleteFiredEntries(doneIds.size()))) {
          ps.setString(1, ctx.schedulerName());
          ctx.sql().bindAmong(ps, 2, doneIds);
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
  private Set<TriggerKey> lockFinished(
      Connection conn, Set<TriggerKey> keys, List<TriggerKey> simple, List<TriggerKey> cron)
      throws SQLException, JobPersistenceException {
    Set<TriggerKey> busy = new HashSet<>(keys);
    List<TriggerKey> simpleCandidates = new ArrayList<>();
    List<TriggerKey> cronCandidates = new ArrayList<>();
    SchedulerSql sql = ctx.sql();
    sql.perGroup(
        conn,
        sql::lockFinished,
        ctx.schedulerName(),
        keys,
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              TriggerKey key = new TriggerKey(rs.getString(1), rs.getString(2));
              busy.remove(key);
              if (rs.getLong(4) > 0) continue; // rescheduled while it ran: kept
              String type = rs.getString(3);
              if (TTYPE_SIMPLE.equals(type)) simpleCandidates.add(key);
              else if (TTYPE_CRON.equals(type)) cronCandidates.add(key);
              else busy.add(key);
            }
          }
        });
    simple.addAll(lockTypeRows(conn, true, simpleCandidates, busy));
    cron.addAll(lockTypeRows(conn, false, cronCandidates, busy));
    return busy;
  }

  private List<TriggerKey> lockTypeRows(
      Connection conn, boolean simple, List<TriggerKey> keys, Set<TriggerKey> busy)
      throws SQLException {
    if (keys.isEmpty()) return keys;
    Set<TriggerKey> locked = new HashSet<>();
    SchedulerSql sql = ctx.sql();
    sql.perGroup(
        conn,
        simple ? sql::lockSimpleRows : sql::lockCronRows,
        ctx.schedulerName(),
        keys,
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) locked.add(new TriggerKey(rs.getString(1), rs.getString(2)));
          }
        });
    List<TriggerKey> out = new ArrayList<>();
    for (TriggerKey k : keys) {
      if (locked.contains(k)) out.add(k);
      else busy.add(k);
    }
    return out;
  }

  private void deleteTriggers(Connection conn, String table, List<TriggerKey> keys)
      throws SQLException {
    if (keys.isEmpty()) return;
    ctx.sql()
        .perGroup(
            conn,
            n -> ctx.sql().deleteTriggerRows(table, n),
            ctx.schedulerName(),
            keys,
            PreparedStatement::executeUpdate);
  }
}
