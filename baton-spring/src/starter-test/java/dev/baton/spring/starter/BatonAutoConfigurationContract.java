package dev.baton.spring.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.locks.ClusterLock;
import dev.baton.micrometer.BatonMetrics;
import dev.baton.scheduling.Task;
import dev.baton.spring.BatonLifecycle;
import dev.baton.spring.BatonProperties;
import dev.baton.spring.boot.BatonActuatorAutoConfiguration;
import dev.baton.spring.boot.BatonAutoConfiguration;
import dev.baton.spring.boot.BatonEndpoint;
import dev.baton.spring.boot.BatonFailureAnalyzer;
import dev.baton.spring.boot.BatonHealthIndicator;
import dev.baton.spring.boot.BatonObservationBinding;
import dev.baton.spring.boot.BatonTracingBinding;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The auto-configuration, one small context per case, on in-memory H2. Each starter's subclass
 * names the Boot types whose package moved between Boot 3 and Boot 4.
 */
public abstract class BatonAutoConfigurationContract {
  private static final String ENDPOINT_EXPOSED = "management.endpoints.web.exposure.include=baton";

  /** Boot's {@code DataSourceAutoConfiguration}. */
  protected abstract Class<?> dataSourceAutoConfiguration();

  /** Boot's {@code DataSourceTransactionManagerAutoConfiguration}. */
  protected abstract Class<?> transactionManagerAutoConfiguration();

  /** Boot's {@code QuartzAutoConfiguration}. */
  protected abstract Class<?> quartzAutoConfiguration();

  /** Boot's {@code HealthIndicator}, hidden to show that the health indicator then backs off. */
  protected abstract Class<?> healthIndicatorType();

  /** Boot's {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}. */
  protected abstract int webServerGracefulShutdownPhase();

  /** A {@link MainDataSource} configuration adding a {@code @QuartzDataSource quartzDataSource}. */
  protected abstract Class<? extends MainDataSource> twoDataSources();

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                dataSourceAutoConfiguration(),
                transactionManagerAutoConfiguration(),
                quartzAutoConfiguration(),
                BatonAutoConfiguration.class,
                BatonActuatorAutoConfiguration.class))
        .withPropertyValues("baton.drain-timeout=1s");
  }

  private static String h2() {
    return "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /** The code of the indicator's status: Boot's {@code Status} is equal by code, in both lines. */
  private static String status(BatonHealthIndicator indicator) {
    return indicator.health().getStatus().getCode();
  }

  @Test
  void withoutDataSourceNothingIsCreated() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                BatonAutoConfiguration.class, BatonActuatorAutoConfiguration.class))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(Baton.class).doesNotHaveBean(BatonLifecycle.class);
            });
  }

  @Test
  void nativeModeRegistersTaskBeansAndFiresThem() {
    runner()
        .withPropertyValues(h2())
        .withUserConfiguration(TaskBeans.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(Baton.class).hasSingleBean(BatonLifecycle.class);
              Baton baton = ctx.getBean(Baton.class);
              assertThat(baton.settings().clusterName()).isEqualTo("baton");
              assertThat(baton.task("native-task")).isPresent();
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> CountingJob.runs("native-task") > 0);
              assertThat(baton.isRunning()).isTrue();
            });
  }

  /**
   * An exactly-once job's {@code @Transactional} service joins the execution's transaction: what it
   * wrote commits with the execution's success, and rolls back when the job fails after it, though
   * the service itself returned (on its own it would have committed).
   */
  @Test
  void exactlyOnceJobsRunInTheApplicationsTransactionsWhichTheirSpringCodeJoins() {
    runner()
        .withPropertyValues(h2())
        .withUserConfiguration(ExactlyOnceBeans.class)
        .run(
            ctx -> {
              JdbcTemplate jdbc = new JdbcTemplate(ctx.getBean(DataSource.class));
              String outcomes =
                  "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ? AND OUTCOME = ?";
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(
                      () ->
                          jdbc.queryForObject(outcomes, Long.class, "commits", "SUCCEEDED") >= 5
                              && jdbc.queryForObject(outcomes, Long.class, "rolls-back", "FAILED")
                                  >= 5);
              assertThat(
                      jdbc.queryForObject(
                          "SELECT COUNT(*) FROM effects E JOIN QRTZ_BATON_HISTORY H ON H.ID ="
                              + " E.FIRE_ID WHERE H.JOB_NAME = 'rolls-back'",
                          Long.class))
                  .as("writes of failed executions")
                  .isZero();
              assertThat(
                      jdbc.queryForObject(
                          "SELECT COUNT(*) FROM effects E WHERE NOT EXISTS (SELECT 1 FROM"
                              + " QRTZ_BATON_HISTORY H WHERE H.ID = E.FIRE_ID AND H.OUTCOME ="
                              + " 'SUCCEEDED')",
                          Long.class))
                  .as("writes of executions the history does not show done")
                  .isZero();
              assertThat(
                      jdbc.queryForObject(
                          "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY H WHERE H.JOB_NAME = 'commits'"
                              + " AND H.OUTCOME = 'SUCCEEDED' AND NOT EXISTS (SELECT 1 FROM"
                              + " effects E WHERE E.FIRE_ID = H.ID)",
                          Long.class))
                  .as("executions shown done without their write")
                  .isZero();
            });
  }

  @Test
  void theJobsOfTaskBeansTakeTheApplicationsBeansByConstructorInBothModes() {
    for (String mode : List.of("memory", "jdbc")) {
      GreetingJob.GREETINGS.clear();
      runner()
          .withPropertyValues(h2(), "spring.quartz.job-store-type=" + mode)
          .withUserConfiguration(InjectedTaskBeans.class)
          .run(
              ctx -> {
                assertThat(ctx).hasNotFailed();
                await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> GreetingJob.GREETINGS.contains("hello from a bean"));
              });
    }
  }

  @Test
  void nativeModeWithoutSpringQuartzOnTheClassPath() {
    runner()
        .withPropertyValues(h2(), "spring.quartz.job-store-type=jdbc")
        .withUserConfiguration(TaskBeans.class)
        .withClassLoader(new FilteredClassLoader(SchedulerFactoryBean.class))
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(Baton.class).doesNotHaveBean(Scheduler.class);
              assertThat(ctx.getBean(Baton.class).settings().clusterName()).isEqualTo("baton");
              assertThat(ctx.getBean(Baton.class).task("native-task")).isPresent();
            });
  }

  @Test
  void quartzModeRegistersTaskBeansToo() {
    runner()
        .withPropertyValues(h2(), "spring.quartz.job-store-type=jdbc")
        .withUserConfiguration(TaskBeans.class, QuartzBeans.class)
        .run(
            ctx -> {
              Baton baton = ctx.getBean(Baton.class);
              assertThat(baton.settings().clusterName()).isEqualTo("quartzScheduler");
              assertThat(baton.task("native-task")).isPresent();
              assertThat(baton.tasks()).anyMatch(t -> t.name().equals("quartz-job"));
            });
  }

  @Test
  void lazyInitializationLeavesTheNodeEager() {
    runner()
        .withPropertyValues(h2())
        .withInitializer(
            c -> c.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
        .run(
            ctx -> {
              ConfigurableListableBeanFactory beans =
                  ctx.getSourceApplicationContext().getBeanFactory();
              String baton = beans.getBeanNamesForType(Baton.class)[0];
              String lifecycle = beans.getBeanNamesForType(BatonLifecycle.class)[0];
              assertThat(beans.getBeanDefinition(baton).isLazyInit()).isFalse();
              assertThat(beans.getBeanDefinition(lifecycle).isLazyInit()).isFalse();
              String observations = beans.getBeanNamesForType(BatonObservationBinding.class)[0];
              assertThat(beans.getBeanDefinition(observations).isLazyInit()).isFalse();
              String tracing = beans.getBeanNamesForType(BatonTracingBinding.class)[0];
              assertThat(beans.getBeanDefinition(tracing).isLazyInit()).isFalse();
              // The post-processor did run: other beans are lazy.
              String properties = beans.getBeanNamesForType(BatonProperties.class)[0];
              assertThat(beans.getBeanDefinition(properties).isLazyInit()).isTrue();
            });
  }

  @Test
  void disabledCreatesNothing() {
    runner()
        .withPropertyValues(h2(), "baton.enabled=false")
        .withUserConfiguration(TaskBeans.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(Baton.class).doesNotHaveBean(BatonLifecycle.class);
              assertThat(ctx)
                  .doesNotHaveBean(BatonHealthIndicator.class)
                  .doesNotHaveBean(BatonEndpoint.class);
            });
  }

  @Test
  void usersOwnBatonWins() {
    runner()
        .withPropertyValues(h2())
        .withUserConfiguration(OwnBaton.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(Baton.class);
              assertThat(ctx.getBean(Baton.class).settings().clusterName()).isEqualTo("mine");
            });
  }

  @Test
  void badPropertyFailsWithAnAnalysisNamingIt() {
    runner()
        .withPropertyValues(h2(), "baton.threads=0")
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              FailureAnalysis a = new BatonFailureAnalyzer().analyze(ctx.getStartupFailure());
              assertThat(a).isNotNull();
              assertThat(a.getDescription()).contains("'baton.threads'").contains("give 1 to 1000");
              assertThat(a.getAction()).contains("baton.threads");
            });
  }

  @Test
  void virtualThreadsFollowTheirPropertyOrFailNamingItWithoutJava21() {
    runner()
        .withPropertyValues(h2(), "baton.virtual-threads=true")
        .run(
            ctx -> {
              if (Runtime.version().feature() >= 21) {
                assertThat(ctx.getBean(Baton.class).settings().virtualThreads()).isTrue();
                return;
              }
              assertThat(ctx).hasFailed();
              FailureAnalysis a = new BatonFailureAnalyzer().analyze(ctx.getStartupFailure());
              assertThat(a).isNotNull();
              assertThat(a.getDescription())
                  .contains("'baton.virtual-threads'")
                  .contains("Java 21");
              assertThat(a.getAction()).contains("baton.virtual-threads");
            });
  }

  @Test
  void badQuartzPropertyFailsWithAnAnalysisNamingIt() {
    runner()
        .withPropertyValues(
            h2(),
            "spring.quartz.job-store-type=jdbc",
            "spring.quartz.properties.org.quartz.threadPool.threadCount=many")
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              FailureAnalysis a = new BatonFailureAnalyzer().analyze(ctx.getStartupFailure());
              assertThat(a).isNotNull();
              assertThat(a.getDescription())
                  .contains("spring.quartz.properties.org.quartz.threadPool.threadCount");
              assertThat(a.getAction())
                  .contains("Fix 'spring.quartz.properties.org.quartz.threadPool.threadCount'")
                  .contains("a whole number of threads");
            });
  }

  @Test
  void quartzModePutsBootsSchedulerOnTheBatonNode() {
    runner()
        .withPropertyValues(
            h2(),
            "spring.quartz.job-store-type=jdbc",
            "spring.quartz.properties.org.quartz.threadPool.threadCount=3")
        .withUserConfiguration(QuartzBeans.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              Baton baton = ctx.getBean(Baton.class);
              Scheduler scheduler = ctx.getBean(Scheduler.class);
              assertThat(baton.settings().clusterName()).isEqualTo("quartzScheduler");
              assertThat(baton.settings().threads()).isEqualTo(3);
              assertThat(scheduler.getSchedulerName()).isEqualTo("quartzScheduler");
              // Registered by Boot's SchedulerFactoryBean, stored by Baton: visible in Baton's
              // view.
              assertThat(baton.tasks()).anyMatch(t -> t.name().equals("quartz-job"));
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> CountingJob.runs("quartz-job") > 0);
            });
  }

  @Test
  void usersOwnSchedulerFactoryBeanWins() {
    runner()
        .withPropertyValues(h2(), "spring.quartz.job-store-type=jdbc")
        .withUserConfiguration(OwnSchedulerFactoryBean.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              Scheduler scheduler = ctx.getBean(Scheduler.class);
              assertThat(scheduler.getSchedulerName()).isEqualTo("in-memory");
              assertThat(scheduler.getMetaData().getJobStoreClass().getSimpleName())
                  .isEqualTo("RAMJobStore");
            });
  }

  @Test
  void healthMetricsAndEndpointWhenTheirLibrariesArePresent() {
    runner()
        .withPropertyValues(h2(), ENDPOINT_EXPOSED)
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasSingleBean(BatonHealthIndicator.class)
                  .hasSingleBean(BatonMetrics.class)
                  .hasSingleBean(BatonEndpoint.class);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> status(ctx.getBean(BatonHealthIndicator.class)).equals("UP"));
              assertThat(ctx.getBean(BatonEndpoint.class).summary())
                  .containsKeys("node", "nodes", "tasks", "locks", "history");
            });
  }

  @Test
  void healthIsDownWhenTheNodeDoesNotFire() {
    runner()
        .withPropertyValues(h2())
        .run(
            ctx -> {
              ctx.getBean(Baton.class).quartz().standby();
              assertThat(status(ctx.getBean(BatonHealthIndicator.class))).isEqualTo("DOWN");
            });
  }

  @Test
  void noHealthIndicatorWithoutActuator() {
    runner()
        .withPropertyValues(h2())
        .withClassLoader(new FilteredClassLoader(healthIndicatorType()))
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasSingleBean(Baton.class)
                  .doesNotHaveBean(BatonHealthIndicator.class);
            });
  }

  @Test
  void executionsAreObservedInTheApplicationsObservationRegistry() {
    List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public void onStop(Observation.Context context) {
                stopped.add(context);
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    runner()
        .withPropertyValues(h2())
        .withUserConfiguration(TaskBeans.class)
        .withBean(ObservationRegistry.class, () -> registry)
        .run(
            ctx -> {
              assertThat(ctx.getBean(BatonObservationBinding.class).observing()).isTrue();
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(
                      () ->
                          stopped.stream()
                              .anyMatch(
                                  c ->
                                      c.getName().equals("baton.job.execution")
                                          && "native-task"
                                              .equals(
                                                  c.getLowCardinalityKeyValue("baton.task")
                                                      .getValue())
                                          && "success"
                                              .equals(
                                                  c.getLowCardinalityKeyValue("baton.outcome")
                                                      .getValue())));
            });
  }

  @Test
  void withoutAnObservationRegistryNothingIsObserved() {
    runner()
        .withPropertyValues(h2())
        .run(ctx -> assertThat(ctx.getBean(BatonObservationBinding.class).observing()).isFalse());
  }

  @Test
  void noMetricsWithoutMicrometer() {
    runner()
        .withPropertyValues(h2())
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(Baton.class).doesNotHaveBean(BatonMetrics.class);
            });
  }

  @Test
  void stoppingTheContextDrainsRunningJobsBeforeTheWebServersGracefulShutdown() {
    SlowJob.STARTED.set(false);
    SlowJob.FINISHED.set(false);
    int webServerPhase = webServerGracefulShutdownPhase();
    runner()
        .withPropertyValues(h2(), "baton.drain-timeout=10s")
        .withUserConfiguration(SlowTask.class)
        .withBean(WebServerPhaseProbe.class, () -> new WebServerPhaseProbe(webServerPhase))
        .run(
            ctx -> {
              WebServerPhaseProbe probe = ctx.getBean(WebServerPhaseProbe.class);
              await().atMost(Duration.ofSeconds(10)).until(SlowJob.STARTED::get);
              ctx.close();
              // The stand-in for Boot's graceful web-server shutdown saw the job finished at its
              // stop.
              assertThat(probe.finishedWhenStopped.get()).isTrue();
            });
  }

  @Test
  void quartzModeUsesTheQuartzDataSource() {
    runner()
        .withPropertyValues("spring.quartz.job-store-type=jdbc")
        .withUserConfiguration(twoDataSources())
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(Baton.class).settings().dataSource())
                  .isSameAs(ctx.getBean("quartzDataSource"));
            });
  }

  @Test
  void endpointResetsErroredTriggersAndRefusesUnknownActions() {
    runner()
        .withPropertyValues(h2(), ENDPOINT_EXPOSED)
        .run(
            ctx -> {
              BatonEndpoint endpoint = ctx.getBean(BatonEndpoint.class);
              assertThat(endpoint.act("reset-errored")).containsEntry("reset", 0);
              assertThatThrownBy(() -> endpoint.act("drop-tables"))
                  .isInstanceOf(InvalidEndpointRequestException.class);
              assertThat(endpoint.part("nodes")).asList().hasSize(1);
            });
  }

  @Test
  void endpointShowsAHeldLockWithItsHolder() {
    runner()
        .withPropertyValues(h2(), ENDPOINT_EXPOSED)
        .run(
            ctx -> {
              Baton baton = ctx.getBean(Baton.class);
              BatonEndpoint endpoint = ctx.getBean(BatonEndpoint.class);
              assertThat(endpoint.part("locks")).asList().isEmpty();

              try (ClusterLock lock =
                  baton.locks().tryAcquire("endpoint-lock", Duration.ofMinutes(1)).orElseThrow()) {
                assertThat(endpoint.part("locks"))
                    .asList()
                    .singleElement()
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("name", "endpoint-lock")
                    .containsEntry("ownerNode", baton.nodeId())
                    .containsEntry("ownerThread", Thread.currentThread().getName())
                    .containsEntry("fencingToken", lock.fencingToken());
                assertThat(endpoint.summary().get("locks")).isEqualTo(endpoint.part("locks"));
              }
              assertThat(endpoint.part("locks")).asList().isEmpty();
            });
  }

  @Test
  void endpointShowsATasksExecutionInTheHistory() {
    runner()
        .withPropertyValues(h2(), ENDPOINT_EXPOSED)
        .withUserConfiguration(TaskBeans.class)
        .run(
            ctx -> {
              Baton baton = ctx.getBean(Baton.class);
              BatonEndpoint endpoint = ctx.getBean(BatonEndpoint.class);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> CountingJob.runs("native-task") > 0);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .untilAsserted(
                      () ->
                          assertThat(endpoint.part("history"))
                              .asList()
                              .anySatisfy(
                                  e ->
                                      assertThat(e)
                                          .asInstanceOf(InstanceOfAssertFactories.MAP)
                                          .containsEntry("task", "native-task")
                                          .containsEntry("node", baton.nodeId())
                                          .containsEntry("outcome", "SUCCEEDED")));
              assertThat(endpoint.summary().get("history"))
                  .asList()
                  .anySatisfy(
                      e ->
                          assertThat(e)
                              .asInstanceOf(InstanceOfAssertFactories.MAP)
                              .containsEntry("task", "native-task"));
            });
  }

  @Test
  void endpointPutsATriggerInErrorBackInService() {
    runner()
        .withPropertyValues(h2(), ENDPOINT_EXPOSED)
        .withUserConfiguration(FarFutureTask.class)
        .run(
            ctx -> {
              JdbcTemplate jdbc = new JdbcTemplate(ctx.getBean(DataSource.class));
              String state =
                  "SELECT TRIGGER_STATE FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'far-future'";
              assertThat(jdbc.queryForObject(state, String.class)).isEqualTo("WAITING");
              assertThat(
                      jdbc.update(
                          "UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'ERROR' WHERE JOB_NAME ="
                              + " 'far-future'"))
                  .isOne();

              assertThat(ctx.getBean(BatonEndpoint.class).act("reset-errored"))
                  .containsEntry("reset", 1);

              assertThat(jdbc.queryForObject(state, String.class)).isEqualTo("WAITING");
              String errored = "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'";
              assertThat(jdbc.queryForObject(errored, Integer.class)).isZero();
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class FarFutureTask {
    @Bean
    Task farFutureTask() {
      return Task.named("far-future").cron("0 0 0 1 1 ? 2099").runs(CountingJob.class).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SlowTask {
    @Bean
    Task slowTask() {
      return Task.named("slow-task").every(Duration.ofHours(1)).runs(SlowJob.class).build();
    }
  }

  /** Stops in the phase of Boot's graceful web-server shutdown, noting if the job had finished. */
  static class WebServerPhaseProbe implements SmartLifecycle {
    final AtomicReference<Boolean> finishedWhenStopped = new AtomicReference<>();
    private final int phase;
    private volatile boolean running;

    WebServerPhaseProbe(int phase) {
      this.phase = phase;
    }

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      finishedWhenStopped.set(SlowJob.FINISHED.get());
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return phase;
    }
  }

  /**
   * The application's main DataSource, {@code @Primary}: each starter's subclass, a configuration,
   * adds a {@code @QuartzDataSource} one named {@code quartzDataSource}.
   */
  protected abstract static class MainDataSource {
    @Bean
    @Primary
    protected DataSource dataSource() {
      return h2DataSource();
    }

    /** A fresh in-memory H2 database. */
    protected static DataSource h2DataSource() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return ds;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class InjectedTaskBeans {
    @Bean
    Greeter greeter() {
      return new Greeter("hello from a bean");
    }

    @Bean
    Task greetingTask() {
      return Task.named("greeting-task")
          .every(Duration.ofMillis(200))
          .runs(GreetingJob.class)
          .build();
    }
  }

  /** A service a job takes by constructor. */
  record Greeter(String text) {}

  /** A job with constructor injection only: it runs only if the node builds jobs through Spring. */
  public static class GreetingJob implements org.quartz.Job {
    static final java.util.Queue<String> GREETINGS =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Greeter greeter;

    public GreetingJob(Greeter greeter) {
      this.greeter = greeter;
    }

    @Override
    public void execute(org.quartz.JobExecutionContext context) {
      GREETINGS.add(greeter.text());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TaskBeans {
    @Bean
    Task nativeTask() {
      return Task.named("native-task")
          .every(Duration.ofMillis(200))
          .runs(CountingJob.class)
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement
  static class ExactlyOnceBeans {
    @Bean
    EffectService effectService(DataSource dataSource) {
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      jdbc.execute("CREATE TABLE effects (fire_id VARCHAR(200) PRIMARY KEY)");
      return new EffectService(jdbc);
    }

    @Bean
    Task commits() {
      return Task.named("commits")
          .every(Duration.ofMillis(100))
          .runs(SpringEffectJob.class)
          .build();
    }

    @Bean
    Task rollsBack() {
      return Task.named("rolls-back")
          .every(Duration.ofMillis(100))
          .runs(SpringEffectJob.class)
          .data("fail", "yes")
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class QuartzBeans {
    @Bean
    JobDetail quartzJob() {
      return JobBuilder.newJob(CountingJob.class).withIdentity("quartz-job").storeDurably().build();
    }

    @Bean
    Trigger quartzTrigger(JobDetail quartzJob) {
      return TriggerBuilder.newTrigger()
          .forJob(quartzJob)
          .withIdentity("quartz-trigger")
          .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1))
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBaton {
    @Bean(destroyMethod = "close")
    Baton baton(DataSource dataSource) {
      return Baton.builder(dataSource)
          .clusterName("mine")
          .drainTimeout(Duration.ofSeconds(1))
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnSchedulerFactoryBean {
    @Bean
    SchedulerFactoryBean schedulerFactoryBean() {
      SchedulerFactoryBean f = new SchedulerFactoryBean();
      f.setSchedulerName("in-memory");
      return f;
    }
  }
}
