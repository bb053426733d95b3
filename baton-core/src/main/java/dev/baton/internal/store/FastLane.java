package dev.baton.internal.store;

import dev.baton.internal.store.CapabilityAwareDelegate.Lane;
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
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;
import org.quartz.impl.triggers.CronTriggerImpl;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims, fires and releases ordinary triggers with row locks instead of Quartz's cluster-wide
 * {@code TRIGGER_ACCESS} lock, so that every node adds firing capacity. Ordinary means the {@link
 * Lane#FAST fast lane}: simple and cron triggers without a calendar whose job allows concurrent
 * execution and keeps no data. Everything else, and every management operation (store, replace,
 * remove, pause, resume, misfire handling, cluster recovery), keeps the lock.
 *
 * <p>What makes it safe:
 *
 * <ul>
 *   <li><b>A claim</b> selects due waiting triggers {@code FOR UPDATE SKIP LOCKED}, sets them
 *       ACQUIRED with its fired-trigger entry id in {@code BATON_CLAIM}, and inserts the entries,
 *       in one transaction; concurrent claims skip each other's rows, so they are disjoint.
 *   <li><b>A firing</b> locks its claimed rows the same way and fires only those still ACQUIRED
 *       under its own claim, with its fired-trigger entry still present. A trigger paused,
 *       replaced, removed, recovered by the cluster or claimed again since (the ABA of Quartz issue
 *       107) fails that test and is released, never fired.
 *   <li><b>No deadlock:</b> a fast-lane transaction never waits while it holds a lock — it locks
 *       only with {@link SchedulerSql}'s skip-locked clauses (skipping what others hold) or rows
 *       nobody else writes (its own entries); the one statement that may wait, a release, holds
 *       nothing before it. Locked operations wait for fast-lane transactions, which always finish.
 *   <li><b>Misfires:</b> the misfire handler locks the rows it rewrites (see {@link
 *       CapabilityAwareDelegate#hasMisfiredTriggersInState}), so a firing and a misfire policy can
 *       never both apply to one fire time.
 *   <li><b>Mixed versions:</b> the lane is on only while every live node of the cluster speaks it
 *       ({@code BATON_NODES.PROTOCOL_SINCE}), checked at every check-in; until then every node
 *       acquires under the lock, as before.
 * </ul>
 */
public final class FastLane {
  private static final Logger log = LoggerFactory.getLogger(FastLane.class);

  private final StoreContext ctx;
  private final TriggerBatches batches;
  private final ExecutionTokens tokens;
  private final FiringLead lead;

  /** Fire instance ids of this node's fast-lane claims not yet fired or released. */
  private final Set<String> claims = ConcurrentHashMap.newKeySet();

  /**
   * Firings done in the claiming transaction, by fire instance id, until the scheduler takes them.
   */
  private final Map<String, TriggerFiredResult> preFired = new ConcurrentHashMap<>();

  private volatile boolean on;

  FastLane(StoreContext ctx, TriggerBatches batches, ExecutionTokens tokens, FiringLead lead) {
    this.ctx = ctx;
    this.batches = batches;
    this.tokens = tokens;
    this.lead = lead;
  }

  /** Whether this node claims ordinary triggers without the cluster lock now. */
  public boolean isOn() {
    return on;
  }

  /** Turns the lane on or off by whether every live node speaks it; run at every check-in. */
  void refresh(Connection conn) throws SQLException {
    int without;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().nodesWithoutFastLane)) {
      ps.setString(1, ctx.schedulerName());
      try (ResultSet rs = ps.executeQuery()) {
        without = rs.next() ? rs.getInt(1) : 1;
      }
    }
    boolean now = without == 0;
    if (now != on) {
      if (now) {
        log.info(
            "Node {}: every live node speaks the fast lane; ordinary triggers are now claimed"
                + " with row locks, without the cluster lock",
            ctx.nodeId());
      } else {
        log.info(
            "Node {}: {} live node(s) of the cluster do not speak the fast lane (an older"
                + " version?); every trigger is acquired under the cluster lock",
            ctx.nodeId(),
            without);
      }
      on = now;
    }
  }

  /**
   * What a claim took: the triggers, as the scheduler thread waits for them, and the firings of
   * those fired in the claiming transaction, by fire instance id.
   */
  record Claim(List<OperableTrigger> triggers, Map<String, TriggerFiredResult> fired) {}

  /**
   * Claims up to {@code maxCount} due fast-lane triggers, skipping rows others hold. When every one
   * is due within the firing lead ({@link FiringLead}) — a backlog being drained, or the next fire
   * time about to come — they are fired in the same transaction: one commit instead of two, the
   * claim and its firing then being one step. Triggers claimed further ahead of their time are
   * fired when it comes ({@link #fire}), so that they can still be paused, replaced or removed
   * until then.
   */
  Claim claim(Connection conn, long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    List<OperableTrigger> chosen =
        batches.choose(conn, noLaterThan, maxCount, timeWindow, Lane.FAST, ctx.sql().skipLockedT);
    long firedBy = ctx.dbNow() + lead.millis();
    if (chosen.isEmpty()
        || chosen.stream().anyMatch(t -> t.getNextFireTime().getTime() > firedBy)) {
      batches.markAcquired(conn, chosen);
      return new Claim(chosen, Map.of());
    }
    try {
      // A firing may write a simple trigger's counter row too: one held elsewhere is left for
      // later.
      Set<TriggerKey> counters = lockedCounterRows(conn, chosen);
      chosen.removeIf(t -> TriggerBatches.writesCount(t) && !counters.contains(t.getKey()));
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't claim triggers: " + e.getMessage(), e);
    }
    // The scheduler thread keeps the triggers as chosen; the firings advance copies.
    List<OperableTrigger> copies = new ArrayList<>(chosen.size());
    for (OperableTrigger t : chosen) copies.add((OperableTrigger) t.clone());
    Map<String, TriggerFiredResult> fired = batches.fireChosen(conn, copies);
    tokens.assign(conn, fired.values());
    List<OperableTrigger> unfired = new ArrayList<>();
    for (OperableTrigger t : chosen) if (!fired.containsKey(t.getFireInstanceId())) unfired.add(t);
    batches.markAcquired(conn, unfired);
    return new Claim(chosen, fired);
  }

  /** Remembers a claim once its transaction committed. */
  void claimed(Claim claim) {
    for (OperableTrigger t : claim.triggers()) claims.add(t.getFireInstanceId());
    preFired.putAll(claim.fired());
  }

  /** The firing of a trigger fired when it was claimed, handed out once; null if there is none. */
  TriggerFiredResult takeFired(OperableTrigger trigger) {
    return preFired.remove(trigger.getFireInstanceId());
  }

  /**
   * Puts back the firings fired at claim time that the scheduler thread never asked for (it was
   * halted between claiming and firing): each trigger gets its fire time back, unless it changed
   * since, and the execution entry goes, so the firing is neither lost nor run twice.
   */
  void restoreUnclaimedFirings(Connection conn) throws JobPersistenceException {
    List<TriggerFiredResult> left = new ArrayList<>(preFired.values());
    preFired.clear();
    restore(conn, left);
  }

  /**
   * Puts back firings done at claim time that will not run (see {@link #restoreUnclaimedFirings}).
   */
  void restore(Connection conn, List<TriggerFiredResult> left) throws JobPersistenceException {
    try {
      for (TriggerFiredResult r : left) {
        TriggerFiredBundle b = r.getTriggerFiredBundle();
        tokens.forget(b.getTrigger().getFireInstanceId());
        boolean restored = restoreTrigger(conn, b);
        deleteOwnEntry(conn, b.getTrigger().getFireInstanceId());
        log.info(
            "Node {}: firing of {} due {} handed back unrun{}",
            ctx.nodeId(),
            b.getTrigger().getKey(),
            b.getScheduledFireTime(),
            restored ? "" : " (the trigger changed meanwhile; left as it is)");
      }
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't hand back unrun firings: " + e.getMessage(), e);
    }
  }

  /**
   * Undoes a fired, unstarted firing only if its trigger is still as the firing left it; returns
   * whether it did. Otherwise (a later fire time was claimed since, or the trigger was paused,
   * replaced or removed) nothing changes and the firing stays this node's to run: a firing handed
   * out before such a change runs, as in Quartz, and is never lost.
   */
  boolean undo(Connection conn, TriggerFiredBundle firing) throws JobPersistenceException {
    try {
      if (!restoreTrigger(conn, firing)) return false;
      deleteOwnEntry(conn, firing.getTrigger().getFireInstanceId());
      log.info(
          "Node {}: firing of {} due {} handed back unrun",
          ctx.nodeId(),
          firing.getTrigger().getKey(),
          firing.getScheduledFireTime());
      return true;
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't hand back an unrun firing: " + e.getMessage(), e);
    }
  }

  /** Gives the trigger its fired time back if it still holds the firing's next one. */
  private boolean restoreTrigger(Connection conn, TriggerFiredBundle b) throws SQLException {
    OperableTrigger t = b.getTrigger();
    int restored;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().restoreFireTimes)) {
      ps.setLong(1, b.getScheduledFireTime().getTime());
      ps.setLong(2, b.getPrevFireTime() == null ? -1 : b.getPrevFireTime().getTime());
      ps.setString(3, ctx.schedulerName());
      ps.setString(4, t.getKey().getName());
      ps.setString(5, t.getKey().getGroup());
      ps.setLong(6, t.getNextFireTime() == null ? -1 : t.getNextFireTime().getTime());
      restored = ps.executeUpdate();
    }
    if (restored == 1 && t instanceof SimpleTriggerImpl simple) {
      try (PreparedStatement ps = conn.prepareStatement(ctx.sql().setTimesTriggered)) {
        ps.setInt(1, simple.getTimesTriggered() - 1);
        ps.setString(2, ctx.schedulerName());
        ps.setString(3, t.getKey().getName());
        ps.setString(4, t.getKey().getGroup());
        ps.executeUpdate();
      }
    }
    return restored == 1;
  }

  /**
   * Whether a firing can be undone without the cluster lock ({@link #undo}): one of the fast lane's
   * kind — a simple or cron trigger without a calendar, of a job that allows concurrent executions
   * and keeps no data — and not a recovery.
   */
  static boolean undoable(TriggerFiredBundle firing) {
    OperableTrigger t = firing.getTrigger();
    return !firing.isRecovering()
        && (t instanceof SimpleTriggerImpl || t instanceof CronTriggerImpl)
        && t.getCalendarName() == null
        && !NonConcurrency.blocksOthers(firing.getJobDetail())
        && !firing.getJobDetail().isPersistJobDataAfterExecution();
  }

  boolean isClaim(OperableTrigger trigger) {
    return claims.contains(trigger.getFireInstanceId());
  }

  /**
   * Forgets a claim that was fired (its execution is Quartz's from now on) or is about to be
   * released; returns whether it was one of this node's fast-lane claims.
   */
  boolean forget(OperableTrigger trigger) {
    return claims.remove(trigger.getFireInstanceId());
  }

  /**
   * Whether a trigger outside the fast lane is due, so that taking the cluster lock to acquire it
   * is worth it. Reads without locks; a trigger that becomes due just after is found next time.
   */
  boolean slowWorkDue(Connection conn, long noLaterThan) throws JobPersistenceException {
    try {
      return !ctx.delegate()
          .selectCandidates(conn, noLaterThan, ctx.misfireTime(), 1, Lane.SLOW, "")
          .isEmpty();
    } catch (SQLException | java.io.IOException e) {
      throw new JobPersistenceException("Couldn't look for due triggers: " + e.getMessage(), e);
    }
  }

  /**
   * Fires claimed triggers without the cluster lock: one result per trigger, in order; a null
   * bundle for each trigger that is no longer this claim's to fire.
   */
  List<TriggerFiredResult> fire(Connection conn, List<OperableTrigger> triggers)
      throws JobPersistenceException {
    try {
      Set<String> locked = lockClaimed(conn, triggers);
      return batches.fire(conn, triggers, locked);
    } catch (SQLException e) {
      throw new JobPersistenceException("Couldn't fire claimed triggers: " + e.getMessage(), e);
    }
  }

  /**
   * Locks the rows of the given claims that are still acquired under them, and of those that are
   * simple triggers their counter rows too (a firing writes both), skipping rows others hold.
   * Returns the fire instance ids whose rows are all locked.
   */
  private Set<String> lockClaimed(Connection conn, List<OperableTrigger> triggers)
      throws SQLException, JobPersistenceException {
    Map<TriggerKey, OperableTrigger> byKey = new HashMap<>();
    for (OperableTrigger t : triggers) byKey.put(t.getKey(), t);
    Set<TriggerKey> held = new HashSet<>();
    SchedulerSql sql = ctx.sql();
    sql.perGroup(
        conn,
        sql::lockClaimed,
        ctx.schedulerName(),
        byKey.keySet(),
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              TriggerKey key = new TriggerKey(rs.getString(1), rs.getString(2));
              OperableTrigger t = byKey.get(key);
              if (t != null && t.getFireInstanceId().equals(rs.getString(3))) held.add(key);
            }
          }
        });
    List<OperableTrigger> heldTriggers = new ArrayList<>();
    for (TriggerKey k : held) heldTriggers.add(byKey.get(k));
    Set<TriggerKey> counters = lockedCounterRows(conn, heldTriggers);
    held.removeIf(k -> TriggerBatches.writesCount(byKey.get(k)) && !counters.contains(k));
    Set<String> ids = new HashSet<>();
    for (TriggerKey k : held) ids.add(byKey.get(k).getFireInstanceId());
    return ids;
  }

  /**
   * Locks the counter rows of the simple triggers among the given ones, skipping rows others hold.
   */
  private Set<TriggerKey> lockedCounterRows(Connection conn, List<OperableTrigger> triggers)
      throws SQLException, JobPersistenceException {
    List<TriggerKey> simple = new ArrayList<>();
    for (OperableTrigger t : triggers) if (TriggerBatches.writesCount(t)) simple.add(t.getKey());
    Set<TriggerKey> locked = new HashSet<>();
    if (simple.isEmpty()) return locked;
    SchedulerSql sql = ctx.sql();
    sql.perGroup(
        conn,
        sql::lockSimpleRows,
        ctx.schedulerName(),
        simple,
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) locked.add(new TriggerKey(rs.getString(1), rs.getString(2)));
          }
        });
    return locked;
  }

  /**
   * Releases a claim that was not fired, if it is still this node's: the trigger goes back to
   * WAITING only while it is acquired under this claim, and the claim's entry is deleted.
   */
  void release(Connection conn, OperableTrigger trigger) throws JobPersistenceException {
    try {
      // The trigger first: a crash in between leaves an entry without a claim, which recovery
      // deletes, never a claimed trigger without its entry, which nobody would recover.
      releaseClaim(conn, trigger);
      deleteOwnEntry(conn, trigger.getFireInstanceId());
    } catch (SQLException e) {
      throw new JobPersistenceException(
          "Couldn't release claimed trigger " + trigger.getKey() + ": " + e, e);
    }
  }

  /**
   * Puts a trigger back to WAITING only while it is still acquired under the given trigger's claim.
   */
  void releaseClaim(Connection conn, OperableTrigger trigger) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().releaseClaim)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, trigger.getKey().getName());
      ps.setString(3, trigger.getKey().getGroup());
      ps.setString(4, trigger.getFireInstanceId());
      ps.executeUpdate();
    }
  }

  private void deleteOwnEntry(Connection conn, String fireInstanceId) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().deleteOwnEntry)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, fireInstanceId);
      ps.executeUpdate();
    }
  }
}
