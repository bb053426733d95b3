package dev.baton.internal.store;

import dev.baton.internal.NodeDeathListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When this node declares others dead, and who is told. Quartz declares a node dead 7.5 s after its
 * check-in is due, whatever the interval; Baton uses a configurable grace, extended, as in Quartz,
 * by this node's own stall since its last check-in, so a paused observer does not condemn healthy
 * peers ({@link ClockTranslation#failedIfAfter}). Quartz then recovers the dead nodes' work under
 * its locks; {@link NodeDeathListener}s are told in that transaction, each behind a savepoint, so a
 * listener that fails never stops the recovery.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final String nodeId;
  private final long failureGraceMillis;
  private final ClockTranslation clock;
  private final List<NodeDeathListener> listeners;

  /** {@code listeners} is read at each recovery: those added later are told too. */
  Recovery(
      String nodeId,
      long failureGraceMillis,
      ClockTranslation clock,
      List<NodeDeathListener> listeners) {
    this.nodeId = nodeId;
    this.failureGraceMillis = failureGraceMillis;
    this.clock = clock;
    this.listeners = listeners;
  }

  /** When the node of {@code rec} is dead, on this node's wall clock (Quartz compares with it). */
  long failedIfAfter(SchedulerStateRecord rec) {
    return clock.failedIfAfter(rec, failureGraceMillis);
  }

  /** Tells the listeners, in the recovery transaction, which nodes were declared dead. */
  void recovered(Connection conn, List<SchedulerStateRecord> failedInstances)
      throws JobPersistenceException {
    if (failedInstances.isEmpty() || listeners.isEmpty()) return;
    List<String> dead = new ArrayList<>();
    for (SchedulerStateRecord rec : failedInstances) dead.add(rec.getSchedulerInstanceId());
    for (NodeDeathListener listener : listeners) {
      Savepoint before = null;
      try {
        before = conn.setSavepoint();
        listener.nodesDeclaredDead(conn, dead);
        conn.releaseSavepoint(before);
      } catch (SQLException | RuntimeException e) {
        // The recovery of the dead nodes' work matters more than what a listener records.
        log.error(
            "Node {}: listener {} failed on nodes declared dead {}; recovery goes on",
            nodeId,
            listener,
            dead,
            e);
        try {
          if (before != null) conn.rollback(before);
        } catch (SQLException rollback) {
          throw new JobPersistenceException("Could not roll back listener " + listener, rollback);
        }
      }
    }
  }
}
