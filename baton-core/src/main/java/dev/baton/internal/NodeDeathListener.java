package dev.baton.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Told when this node's cluster manager declares other nodes dead, inside Quartz's recovery
 * transaction (under its {@code STATE_ACCESS} and {@code TRIGGER_ACCESS} locks), so that what the
 * listener writes commits atomically with the recovery of the dead nodes' work. A failure of the
 * listener is rolled back to a savepoint and logged; it never undoes the recovery itself.
 */
@FunctionalInterface
public interface NodeDeathListener {
  /**
   * @param transaction Quartz's connection, in its open transaction; do not commit or close it
   * @param nodeIds the ids of the nodes declared dead
   */
  void nodesDeclaredDead(Connection transaction, List<String> nodeIds) throws SQLException;
}
