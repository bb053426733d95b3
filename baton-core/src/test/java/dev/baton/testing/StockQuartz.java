package dev.baton.testing;

import dev.baton.internal.database.DataSourceConnectionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreSupport;
import org.quartz.utils.DBConnectionManager;

/**
 * A stock Quartz 2.5 scheduler as a typical installation runs it: JobStoreTX, clustered, and {@code
 * useProperties} left at its default, false, so that job data is stored serialized.
 */
public final class StockQuartz {
  private StockQuartz() {}

  /**
   * Creates Quartz's tables from the DDL its jar ships for this database ({@code tables_h2.sql},
   * …).
   */
  public static void createTables(TestDatabase db, String ddlResource) throws IOException {
    String ddl;
    try (InputStream in = JobStoreSupport.class.getResourceAsStream(ddlResource)) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> statements = new ArrayList<>();
    for (String stmt : ddl.replaceAll("(?m)^\\s*(--|#).*$", "").split(";")) {
      if (!stmt.isBlank() && !stmt.trim().equalsIgnoreCase("commit")) statements.add(stmt);
    }
    db.execute(statements.toArray(String[]::new));
  }

  /** A stock scheduler named {@code schedulerName} on {@code db}, not started (it only stores). */
  public static Scheduler scheduler(TestDatabase db, String schedulerName, String delegateClass)
      throws SchedulerException {
    String provider = "stock-" + db.kind() + "-" + System.identityHashCode(db);
    DBConnectionManager.getInstance()
        .addConnectionProvider(provider, new DataSourceConnectionProvider(db.pool(4)));
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", schedulerName);
    p.setProperty("org.quartz.scheduler.instanceId", "stock");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", delegateClass);
    p.setProperty("org.quartz.jobStore.dataSource", provider);
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.useProperties", "false");
    return new StdSchedulerFactory(p).getScheduler();
  }
}
