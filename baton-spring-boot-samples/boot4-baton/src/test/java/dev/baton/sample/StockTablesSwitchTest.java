package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.baton.spring.BatonFailureDescription;
import dev.baton.testing.H2Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Switching a database that stock Quartz wrote with its defaults ({@code useProperties=false}:
 * every job's data is a serialized {@code JobDataMap}): the Baton build refuses to start with a
 * report naming the job and the fix, and with that fix ({@code
 * spring.quartz.overwrite-existing-jobs=true} for a start) it runs the same jobs, their data
 * rewritten as text.
 */
class StockTablesSwitchTest {
  private final H2Database db = new H2Database();
  private ConfigurableApplicationContext app;

  @BeforeEach
  void stockQuartzWritesItsTables() throws Exception {
    DataSource ds = db.pool(2);
    new ResourceDatabasePopulator(
            new ClassPathResource("org/quartz/impl/jdbcjobstore/tables_h2.sql"))
        .execute(ds);
    String[] c = db.connectionArgs();
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "quartzScheduler");
    p.setProperty("org.quartz.scheduler.instanceId", "stock-node");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.dataSource", "ds");
    p.setProperty("org.quartz.dataSource.ds.provider", "hikaricp");
    p.setProperty("org.quartz.dataSource.ds.driver", "org.h2.Driver");
    p.setProperty("org.quartz.dataSource.ds.URL", c[0]);
    p.setProperty("org.quartz.dataSource.ds.user", c[1]);
    p.setProperty("org.quartz.dataSource.ds.password", c[2]);
    p.setProperty("org.quartz.dataSource.ds.maxConnections", "3");
    Scheduler stock = new StdSchedulerFactory(p).getScheduler();
    stock.scheduleJob(
        JobBuilder.newJob(ReportJob.class)
            .withIdentity("reportJob", "reports")
            .usingJobData("format", "pdf")
            .storeDurably()
            .build(),
        TriggerBuilder.newTrigger()
            .withIdentity("reportEverySecond", "reports")
            .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1))
            .build());
    stock.shutdown();
    assertThat(jobDataIsSerialized()).isTrue();
  }

  @AfterEach
  void stop() {
    if (app != null) app.close();
    if (db != null) db.close();
  }

  @Test
  void startRefusesSerializedJobDataNamingTheJobAndTheFix() {
    Throwable failure = catchThrowable(() -> start());
    assertThat(failure).isNotNull();
    BatonFailureDescription d = BatonFailureDescription.of(failure);
    assertThat(d).isNotNull();
    assertThat(d.description()).contains("reports.reportJob");
    assertThat(d.action())
        .contains("migrate-quartz")
        .contains("spring.quartz.overwrite-existing-jobs=true");
  }

  @Test
  void overwritingExistingJobsOnceSwitchesToBaton() throws Exception {
    app = start("spring.quartz.overwrite-existing-jobs=true");
    ActivityLog log = app.getBean(ActivityLog.class);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(log.entries("report")).contains("pdf"));
    assertThat(jobDataIsSerialized()).isFalse();
  }

  /**
   * With overwrite on, Spring calls {@code rescheduleJob} for every existing trigger bean at every
   * start; stock Quartz's {@code replaceTrigger} stores the trigger as WAITING, un-pausing it.
   * Baton keeps a paused trigger paused when it is replaced.
   */
  @Test
  void aPausedTriggerStaysPausedAcrossOverwritingStarts() throws Exception {
    TriggerKey key = TriggerKey.triggerKey("reportEverySecond", "reports");
    app = start("spring.quartz.overwrite-existing-jobs=true");
    app.getBean(Scheduler.class).pauseTrigger(key);
    app.close();
    app = start("spring.quartz.overwrite-existing-jobs=true");
    assertThat(app.getBean(Scheduler.class).getTriggerState(key))
        .isEqualTo(Trigger.TriggerState.PAUSED);
  }

  private ConfigurableApplicationContext start(String... more) {
    String[] c = db.connectionArgs();
    return new SpringApplicationBuilder(SampleApplication.class)
        .properties(
            "spring.datasource.url=" + c[0],
            "spring.datasource.username=" + c[1],
            "spring.datasource.password=" + c[2],
            "server.port=0",
            "spring.quartz.jdbc.initialize-schema=never")
        .properties(more)
        .run();
  }

  /** Whether reportJob's JOB_DATA starts with Java serialization's magic number. */
  private boolean jobDataIsSerialized() throws Exception {
    try (Connection c = db.pool(1).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT JOB_DATA FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = 'reportJob'")) {
      assertThat(rs.next()).isTrue();
      byte[] b = rs.getBytes(1);
      return b != null && b.length >= 2 && b[0] == (byte) 0xAC && b[1] == (byte) 0xED;
    }
  }
}
