package dev.baton.scheduling;

import dev.baton.Baton;
import dev.baton.BatonSettings;
import dev.baton.NodeInternals;
import dev.baton.internal.ClusterScheduler;
import dev.baton.internal.classloading.PluginClassLoader;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.SchemaMigrator;
import dev.baton.internal.store.BatonJobStore;
import dev.baton.internal.store.FastLane;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.quartz.Scheduler;

/**
 * A node whose Quartz scheduler thread never runs: it checks in (so the cluster sees it alive and
 * its fast-lane gate is evaluated at every check-in) and publishes its node row, but only the test
 * thread acquires, fires and releases its triggers, through {@link #store}. Also reaches the
 * internals of started {@link Baton} nodes, through their accessors (no reflection).
 */
final class ManualNode implements AutoCloseable {
  final String id;
  final ClusterScheduler scheduler;
  final BatonJobStore store;
  final FastLane lane;
  final Scheduler quartz;

  /** Creates the schema if needed (as a node's start does). */
  static void migrate(DataSource ds) {
    new SchemaMigrator(Database.connect(ds, Duration.ofSeconds(30)), "QRTZ_").migrate();
  }

  ManualNode(DataSource ds, String id) {
    this.id = id;
    BatonSettings settings =
        Baton.builder(ds)
            .nodeId(id)
            .threads(4)
            // Generous: a busy test machine must not get manual nodes declared dead.
            .failureGrace(Duration.ofSeconds(60))
            .drainTimeout(Duration.ofSeconds(5))
            .settings();
    scheduler =
        new ClusterScheduler(
            settings,
            Database.connect(ds, Duration.ofSeconds(30)),
            new SharedClassLoadHelper(new PluginClassLoader(ManualNode.class.getClassLoader())));
    store = scheduler.store();
    lane = lane(store);
    quartz = scheduler.quartzScheduler();
    try {
      scheduler.publishNode("localhost", ProcessHandle.current().pid(), "test", Instant.now());
      // Cluster check-in and misfire handling, without Quartz's scheduler thread.
      store.schedulerStarted();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdown();
  }

  static BatonJobStore store(Baton node) {
    return NodeInternals.engine(node).store();
  }

  static FastLane lane(BatonJobStore store) {
    return store.fastLane();
  }

  static FastLane lane(Baton node) {
    return lane(store(node));
  }

  static Scheduler quartz(Baton node) {
    return NodeInternals.engine(node).quartzScheduler();
  }
}
