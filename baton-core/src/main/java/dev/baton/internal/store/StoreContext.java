package dev.baton.internal.store;

import dev.baton.internal.database.DatabaseClock;
import java.util.function.Supplier;

/**
 * What the store's collaborators need of it, as values: its statements, the cluster's scheduler
 * name, this node's id, the cluster's clock, Quartz's delegate (as Baton changed it), the misfire
 * threshold and the source of fire instance ids. Built once Quartz has named the node and created
 * the delegate, so no collaborator ever holds the store itself.
 */
record StoreContext(
    SchedulerSql sql,
    String schedulerName,
    String nodeId,
    DatabaseClock clock,
    CapabilityAwareDelegate delegate,
    long misfireThresholdMillis,
    Supplier<String> fireInstanceIds) {

  /** Now on the database's clock: the time Baton stores and compares. */
  long dbNow() {
    return clock.now();
  }

  /** Fire times before this, on the database's clock, have misfired (Quartz's rule). */
  long misfireTime() {
    long misfireTime = clock.now();
    if (misfireThresholdMillis > 0) misfireTime -= misfireThresholdMillis;
    return Math.max(misfireTime, 0);
  }

  /** A new fire instance id, unique in the cluster (Quartz's). */
  String newFireInstanceId() {
    return fireInstanceIds.get();
  }
}
