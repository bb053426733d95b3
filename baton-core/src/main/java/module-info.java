/**
 * Baton: cluster-safe scheduled tasks and cluster locks on the application's own database.
 *
 * <p>The published API is {@code dev.baton} (the node, its client interface, settings and
 * exceptions), {@code dev.baton.scheduling} (tasks), {@code dev.baton.history} (the execution
 * history), {@code dev.baton.locks} (cluster locks) and {@code dev.baton.migration} (moving from
 * stock Quartz). Nothing under {@code dev.baton.internal} is exported, but for the tracing hook, to
 * {@code baton-micrometer} only.
 */
// baton-micrometer is an automatic module, not built with this one: not found here is expected.
@SuppressWarnings("module")
module dev.baton {
  requires transitive java.sql;
  requires transitive org.quartz;
  requires org.slf4j;
  // Flyway publishes no module name; this is the one derived from its jar's file name.
  requires flyway.core;
  // LISTEN/NOTIFY wake-ups for lock waiters, used only on PostgreSQL.
  requires static org.postgresql.jdbc;

  exports dev.baton;
  exports dev.baton.scheduling;
  exports dev.baton.history;
  exports dev.baton.locks;
  exports dev.baton.migration;
  // The hook through which baton-micrometer's tracing captures a caller's trace context.
  exports dev.baton.internal.tracing to
      dev.baton.micrometer;

  // Quartz instantiates the driver delegate and Baton's own jobs by class name.
  opens dev.baton.internal to
      org.quartz;
  opens dev.baton.internal.store to
      org.quartz;
  opens dev.baton.internal.history to
      org.quartz;
  // Flyway finds each dialect's migrations through a class loader, which sees only resources in
  // unconditionally open packages (these hold SQL files only).
  opens dev.baton.db.h2;
  opens dev.baton.db.mysql;
  opens dev.baton.db.postgresql;
}
