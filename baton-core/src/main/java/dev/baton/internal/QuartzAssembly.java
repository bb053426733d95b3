package dev.baton.internal;

import dev.baton.BatonSettings;
import dev.baton.internal.database.DataSourceConnectionProvider;
import dev.baton.internal.store.BatonJobStore;
import dev.baton.internal.store.CapabilityAwareDelegate;
import java.util.concurrent.atomic.AtomicLong;
import org.quartz.Scheduler;
import org.quartz.SchedulerConfigException;
import org.quartz.SchedulerException;
import org.quartz.impl.DefaultThreadExecutor;
import org.quartz.impl.DirectSchedulerFactory;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.jdbcjobstore.InvalidConfigurationException;
import org.quartz.utils.DBConnectionManager;

/**
 * Assembles a node's Quartz scheduler: clustered JDBC mode on Baton's job store and worker pool,
 * the node's connection provider, job data as text, and acquisition under the row lock. One place
 * for Quartz's configuration, and for {@code DirectSchedulerFactory}'s fifteen positional
 * arguments.
 */
final class QuartzAssembly {
  /**
   * Quartz keeps schedulers in a JVM-wide repository keyed by scheduler name, which is also the
   * cluster's name; two nodes of one cluster in one JVM (tests, local clusters) would collide.
   * Baton never looks schedulers up by name, so each is removed right after creation, under this
   * lock so that creations do not interleave.
   */
  private static final Object QUARTZ_REGISTRY = new Object();

  private static final AtomicLong DATA_SOURCE_SEQ = new AtomicLong();

  private QuartzAssembly() {}

  /** Creates the scheduler on {@code store} and {@code pool}, in standby. */
  static Scheduler create(
      BatonSettings settings, BatonJobStore store, WorkerPool pool, TransactionalJobs transactional)
      throws SchedulerException {
    // The store takes its connections from the DataSource itself; Quartz still wants a name, and
    // its shutdown looks the name up. The registry is an unsynchronised map: write it under a lock.
    String dsName = "baton-" + DATA_SOURCE_SEQ.incrementAndGet() + "-" + settings.nodeId();
    synchronized (QUARTZ_REGISTRY) {
      DBConnectionManager.getInstance()
          .addConnectionProvider(
              dsName, new DataSourceConnectionProvider(settings.schedulerDataSource()));
    }
    store.setDataSource(dsName);
    store.setTablePrefix(settings.tablePrefix());
    store.setIsClustered(true);
    store.setClusterCheckinInterval(settings.checkinInterval().toMillis());
    store.setMisfireThreshold(settings.misfireThreshold().toMillis());
    try {
      store.setDriverDelegateClass(CapabilityAwareDelegate.class.getName());
    } catch (InvalidConfigurationException e) {
      throw new SchedulerConfigException(e.getMessage(), e);
    }
    // Job data as text, never serialized objects; acquisition under the row lock closes the race
    // in which two nodes acquire the same firing (Quartz issue 107).
    store.setUseProperties("true");
    store.setAcquireTriggersWithinLock(true);
    store.setDbRetryInterval(1000);

    Scheduler scheduler;
    synchronized (QUARTZ_REGISTRY) {
      DirectSchedulerFactory factory = DirectSchedulerFactory.getInstance();
      factory.createScheduler(
          /* schedulerName */ settings.clusterName(),
          /* schedulerInstanceId */ settings.nodeId(),
          /* threadPool */ pool,
          /* threadExecutor */ new DefaultThreadExecutor(),
          /* jobStore */ store,
          /* schedulerPluginMap */ null,
          /* rmiRegistryHost */ null,
          /* rmiRegistryPort */ 0,
          /* idleWaitTime */ settings.idleWait().toMillis(),
          /* dbFailureRetryInterval */ 1000,
          /* jmxExport */ false,
          /* jmxObjectName */ null,
          /* maxBatchSize */ settings.batchSize(),
          /* batchTimeWindow */ 0,
          /* makeSchedThreadDaemon */ true);
      scheduler = factory.getScheduler(settings.clusterName());
      SchedulerRepository.getInstance().remove(settings.clusterName());
    }
    scheduler.setJobFactory(new SafeJobFactory(settings.nodeId(), null, pool, transactional));
    pool.claimAhead(store.handBack());
    pool.startOnTime(store.startTimes());
    store.workers(pool);
    return scheduler;
  }
}
