package dev.baton.bench;

import dev.baton.internal.database.DataSourceConnectionProvider;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * Stock Quartz 2.5 schedulers in the documented clustered configuration: {@code JobStoreTX}, {@code
 * isClustered=true}, the PostgreSQL delegate, 10 worker threads, Quartz's defaults for everything
 * else (batch size 1, idle wait 30 s, check-in 7.5 s, acquisition outside the lock).
 */
final class StockQuartz {
  private static final AtomicLong DATA_SOURCES = new AtomicLong();

  private StockQuartz() {}

  /** Properties of a stock clustered node; {@code clustered=false} is used only to load jobs. */
  static Properties properties(
      String schedulerName, String nodeId, String dataSource, boolean clustered) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", schedulerName);
    p.setProperty("org.quartz.scheduler.instanceId", nodeId);
    p.setProperty("org.quartz.threadPool.threadCount", "10");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", dataSource);
    p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered));
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return p;
  }

  /**
   * Creates (not starts) a scheduler on {@code ds}. Quartz keeps schedulers in a JVM-wide registry
   * by name; several nodes of one cluster in one JVM would collide, so each is removed from it.
   */
  static Scheduler create(DataSource ds, Properties base) throws SchedulerException {
    String dsName = "bench-ds-" + DATA_SOURCES.incrementAndGet();
    DBConnectionManager.getInstance()
        .addConnectionProvider(dsName, new DataSourceConnectionProvider(ds));
    Properties p = new Properties();
    p.putAll(base);
    p.setProperty("org.quartz.jobStore.dataSource", dsName);
    synchronized (StockQuartz.class) {
      Scheduler s = new StdSchedulerFactory(p).getScheduler();
      SchedulerRepository.getInstance().remove(s.getSchedulerName());
      return s;
    }
  }
}
