package dev.baton.locks;

import dev.baton.internal.NodeIdentity;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.SchemaMigrator;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Configures standalone {@link ClusterLocks}, for applications that want the lock without the
 * scheduler. {@link #build()} validates every setting, waits for the database, runs Baton's schema
 * migrations (unless turned off) and returns a ready instance:
 *
 * <pre>{@code
 * ClusterLocks locks = ClusterLocks.builder(pool).nodeId("billing-1").build();
 * }</pre>
 */
public final class ClusterLocksBuilder {
  // The same rules as BatonBuilder, so that one node id and prefix work for both.

  private final DataSource dataSource;
  private String nodeId;
  private String tablePrefix = "QRTZ_";
  private boolean migrateSchema = true;
  private Duration expiredRowRetention = Duration.ofHours(1);
  private Duration startupTimeout = Duration.ofSeconds(30);

  ClusterLocksBuilder(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The owner written into every lock this instance takes; unique per process. Generated if unset.
   */
  public ClusterLocksBuilder nodeId(String nodeId) {
    this.nodeId = nodeId;
    return this;
  }

  /** Prefix of the lock table (default {@code QRTZ_}); locks are shared by everyone using it. */
  public ClusterLocksBuilder tablePrefix(String tablePrefix) {
    this.tablePrefix = tablePrefix;
    return this;
  }

  /**
   * Whether {@link #build()} runs Baton's migrations (default true); off when a node already did.
   */
  public ClusterLocksBuilder migrateSchema(boolean migrate) {
    this.migrateSchema = migrate;
    return this;
  }

  /**
   * How long a lock row is kept after its lease ran out (default 1 hour). A deleted row's next
   * token starts from the database clock in microseconds, which is above every earlier token as
   * long as the database clock never steps back by more than this.
   */
  public ClusterLocksBuilder expiredRowRetention(Duration retention) {
    this.expiredRowRetention = retention;
    return this;
  }

  /** How long {@link #build()} waits for an unreachable database (default 30 s). */
  public ClusterLocksBuilder startupTimeout(Duration timeout) {
    this.startupTimeout = timeout;
    return this;
  }

  /** Validates, connects, migrates and starts. */
  public ClusterLocks build() {
    if (dataSource == null) {
      throw new InvalidLockArgumentException(
          null, "dataSource", null, "pass the application's DataSource");
    }
    String id = nodeId != null ? nodeId : NodeIdentity.generateNodeId();
    if (!NodeIdentity.validNodeId(id)) {
      throw new InvalidLockArgumentException(
          null,
          "nodeId",
          id,
          "use 1 to 100 letters, digits, '.', '_', ':' or '-', unique per process");
    }
    if (!NodeIdentity.validTablePrefix(tablePrefix)) {
      throw new InvalidLockArgumentException(
          null, "tablePrefix", tablePrefix, "use a letter then up to 19 letters, digits or '_'");
    }
    if (expiredRowRetention == null || expiredRowRetention.isNegative()) {
      throw new InvalidLockArgumentException(
          null,
          "expiredRowRetention",
          expiredRowRetention,
          "give zero or more (default 1 hour); it bounds how far the database clock may step back");
    }
    if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
      throw new InvalidLockArgumentException(
          null, "startupTimeout", startupTimeout, "give a positive duration");
    }
    Database database = Database.connect(dataSource, startupTimeout);
    if (migrateSchema) new SchemaMigrator(database, tablePrefix).migrate();
    return new ClusterLocks(database, id, tablePrefix, expiredRowRetention);
  }
}
