package dev.baton.internal;

import dev.baton.BatonSettings;
import dev.baton.InvalidSettingException;
import dev.baton.internal.classloading.PluginClassLoader;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.SchemaMigrator;
import dev.baton.internal.history.HistoryModule;
import dev.baton.internal.store.SchedulerSql;
import dev.baton.locks.ClusterLocks;
import dev.baton.scheduling.JobTransactions;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.quartz.spi.JobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's start, in the order the README's "The node" section numbers it. Steps 1 to 7 run here,
 * when a node is built; step 8 is {@code Baton.start()}:
 *
 * <ol>
 *   <li>class loader: plugin jars, and one shared class loading for every Quartz thread;
 *   <li>database checks: reachable (retrying up to the start-up timeout), supported, and both pools
 *       on one database;
 *   <li>schema migrations;
 *   <li>cluster locks, owned by this node;
 *   <li>scheduler in standby, with its job factory and listeners (history, retries, tasks run under
 *       locks) in place before anything can fire or be recovered;
 *   <li>reset of triggers in ERROR;
 *   <li>registration of the configured tasks and of Baton's own;
 *   <li>start: the node row, then firing.
 * </ol>
 *
 * <p>One rollback path: every part that holds a thread or a connection is pushed as it is made, and
 * a failure closes what was made, newest first, before it is rethrown. Nothing stays running.
 */
public final class NodeStartup {
  private static final Logger log = LoggerFactory.getLogger(NodeStartup.class);

  /**
   * What a built node is made of; {@code Baton} drives it from here on. {@code abandon} is the
   * rollback path of the start, for a failure of its last step: it stops what steps 1 to 7 made,
   * newest first, and adds what fails to close to the start's failure.
   */
  public record NodeParts(
      PluginClassLoader plugins,
      Database database,
      ClusterLocks locks,
      ClusterScheduler scheduler,
      HistoryModule history,
      Consumer<Throwable> abandon) {}

  private final Deque<Runnable> rollback = new ArrayDeque<>();

  private NodeStartup() {}

  /**
   * Runs steps 1 to 7 for {@code s}; {@code jobFactory} (may be null) builds job instances behind
   * Baton's safe factory; {@code jobTransactions} (may be null: plain JDBC) runs exactly-once jobs.
   */
  public static NodeParts build(
      BatonSettings s, JobFactory jobFactory, JobTransactions jobTransactions) {
    NodeStartup startup = new NodeStartup();
    try {
      return startup.run(s, jobFactory, jobTransactions);
    } catch (RuntimeException | Error e) {
      startup.rollBack(e);
      throw e;
    }
  }

  private NodeParts run(BatonSettings s, JobFactory jobFactory, JobTransactions jobTransactions) {
    // 1. class loader
    PluginClassLoader plugins = new PluginClassLoader(NodeStartup.class.getClassLoader());
    if (s.pluginDirectory() != null) {
      List<Path> jars = plugins.addDirectory(s.pluginDirectory());
      log.info(
          "Loaded {} plugin jar(s) from {}", jars.size(), s.pluginDirectory().toAbsolutePath());
    }
    SharedClassLoadHelper classes = new SharedClassLoadHelper(plugins);

    // 2. database checks
    Database database = Database.connect(s.dataSource(), s.startupTimeout());
    Database own =
        s.schedulerDataSource() == s.dataSource()
            ? database
            : Database.connect(s.schedulerDataSource(), s.startupTimeout());
    if (own.dialect() != database.dialect()) {
      throw new InvalidSettingException(
          "schedulerDataSource",
          own.description(),
          "must point at the same database as the main DataSource ("
              + database.description()
              + ")");
    }

    // 3. migrations, on Baton's own pool when there is one: Flyway holds two connections at once.
    new SchemaMigrator(own, s.tablePrefix()).migrate();

    // 4. cluster locks on the application's pool, owned by this node (the tables exist now).
    ClusterLocks locks =
        ClusterLocks.builder(s.dataSource())
            .nodeId(s.nodeId())
            .tablePrefix(s.tablePrefix())
            .startupTimeout(s.startupTimeout())
            .migrateSchema(false)
            .build();
    rollback.push(locks::close);

    // 5. scheduler in standby, everything that observes firings in place before the first one:
    // Quartz may recover a dead node's work at its first check-in.
    ClusterScheduler scheduler = new ClusterScheduler(s, own, classes);
    rollback.push(scheduler::shutdown);
    HistoryModule history = HistoryModule.install(scheduler, s);
    // Replaces the scheduler's step: history is flushed once Quartz has stopped.
    rollback.pop();
    rollback.push(
        () -> {
          scheduler.shutdown();
          history.close();
        });
    // Before registration: the factory decides which constructors make a job class runnable.
    if (jobFactory != null) scheduler.installJobFactory(jobFactory);
    if (jobTransactions != null) scheduler.useJobTransactions(jobTransactions);
    scheduler.runTasksUnderLocks(locks);

    // 6. errored-trigger reset
    scheduler.resetErroredTriggers();

    // 7. task registration
    scheduler.registerAll(s.tasks());
    history.registerTasks();
    SchedulerSql.of(database.dialect(), s.tablePrefix()).refreshStatistics(database.dataSource());
    return new NodeParts(plugins, database, locks, scheduler, history, this::rollBack);
  }

  /**
   * Closes what was made, newest first, once; a failure to close is added to {@code cause}, the
   * start's failure.
   */
  private synchronized void rollBack(Throwable cause) {
    while (!rollback.isEmpty()) {
      try {
        rollback.pop().run();
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }
}
