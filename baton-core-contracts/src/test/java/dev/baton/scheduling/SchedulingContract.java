package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.testing.NonConcurrentJob;
import dev.baton.testing.PluginJars;
import dev.baton.testing.Recorder;
import dev.baton.testing.Recorder.Execution;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.quartz.impl.matchers.NameMatcher;
import org.quartz.listeners.JobListenerSupport;

/**
 * The scheduling behaviour every supported database must show, with several nodes (each its own
 * Quartz scheduler and pool) on one real database. One small subclass per database.
 */
abstract class SchedulingContract {
  private static final Duration WAIT = Duration.ofSeconds(40);

  protected TestDatabase db;
  private TestNodes nodes;

  @TempDir Path tmp;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  Baton node(String id, UnaryOperator<BatonBuilder> options) {
    return nodes.start(id, options);
  }

  Baton node(String id) {
    return node(id, b -> b);
  }

  @Test
  void cronTaskFiresExactlyOncePerScheduledTimeAcrossNodes() {
    Task every =
        Task.named("tick").cron("* * * * * ?", ZoneId.of("UTC")).runs(RecordingJob.class).build();
    for (String id : List.of("a", "b", "c")) node(id, b -> b.task(every));

    await().atMost(WAIT).until(() -> Recorder.of("tick").size() >= 6);

    List<Instant> scheduled = Recorder.of("tick").stream().map(Execution::scheduled).toList();
    assertThat(scheduled).doesNotHaveDuplicates();
    // Consecutive seconds: nothing between the first and the last firing was lost.
    List<Instant> sorted = scheduled.stream().sorted().toList();
    assertThat(Duration.between(sorted.get(0), sorted.get(sorted.size() - 1)).toSeconds())
        .isEqualTo(sorted.size() - 1);
  }

  @Test
  void nonConcurrentJobNeverOverlapsAcrossNodes() {
    Task slow =
        Task.named("exclusive")
            .every(Duration.ofMillis(100))
            .runs(NonConcurrentJob.class)
            .data("sleepMillis", "250")
            .build();
    node("a", b -> b.task(slow));
    node("b", b -> b.task(slow));

    await().atMost(WAIT).until(() -> Recorder.of("exclusive").size() >= 8);

    List<Execution> runs = new ArrayList<>(Recorder.of("exclusive"));
    runs.sort(Comparator.comparing(Execution::started));
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).started())
          .as("run %d must start after run %d ended", i, i - 1)
          .isAfterOrEqualTo(runs.get(i - 1).ended());
    }
  }

  @Test
  void taskWhoseClassOnlyOneNodeHasRunsThereOnlyNeverErrorsAndLosesNothing() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("v2"));
    PluginJars.recordingJob(plugins, "OnlyOnV2");
    Baton old = node("v1");
    Baton upgraded = node("v2", b -> b.pluginDirectory(plugins));
    upgraded.register(Task.named("v2-only").cron("* * * * * ?").runs("plugin.OnlyOnV2").build());

    await().atMost(WAIT).until(() -> Recorder.of("v2-only").size() >= 5);

    assertThat(Recorder.of("v2-only")).extracting(Execution::node).containsOnly("v2");
    List<Instant> times =
        Recorder.of("v2-only").stream().map(Execution::scheduled).sorted().toList();
    assertThat(times).doesNotHaveDuplicates();
    assertThat(Duration.between(times.get(0), times.get(times.size() - 1)).toSeconds())
        .as("every second between the first and last firing fired")
        .isEqualTo(times.size() - 1);
    TaskInfo seenByOld = old.task("v2-only").orElseThrow();
    assertThat(seenByOld.runnableHere()).isFalse();
    assertThat(seenByOld.triggers()).extracting(TriggerInfo::state).doesNotContain("ERROR");
    await().atMost(WAIT).until(() -> old.task("v2-only").orElseThrow().runnableByLiveNode());

    // The only capable node leaves: the task waits, visibly, and is never set to ERROR.
    upgraded.close();
    await().atMost(WAIT).until(() -> !old.task("v2-only").orElseThrow().runnableByLiveNode());
    int before = Recorder.of("v2-only").size();
    Thread.sleep(2500); // time passing is the point here: nobody may run the task meanwhile
    assertThat(Recorder.of("v2-only")).hasSize(before);
    assertThat(old.task("v2-only").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .doesNotContain("ERROR");

    // A capable node joins: the task runs again.
    node("v2-again", b -> b.pluginDirectory(plugins));
    await().atMost(WAIT).until(() -> Recorder.of("v2-only").size() >= before + 2);
    assertThat(Recorder.of("v2-only").subList(before, Recorder.of("v2-only").size()))
        .extracting(Execution::node)
        .containsOnly("v2-again");
  }

  @Test
  void triggersInErrorAreResetAtStart() throws Exception {
    Baton first = node("a");
    first.register(Task.named("broken").cron("0 0 0 1 1 ? 2099").runs(RecordingJob.class).build());
    first.register(
        Task.named("paused-broken").cron("0 0 0 1 1 ? 2099").runs(RecordingJob.class).build());
    first.close();
    update("UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'ERROR'");
    update(
        "INSERT INTO QRTZ_PAUSED_TRIGGER_GRPS (SCHED_NAME, TRIGGER_GROUP) VALUES ('baton', 'x')");

    Baton second = node("b");

    assertThat(second.tasks())
        .flatExtracting(TaskInfo::triggers)
        .extracting(TriggerInfo::state)
        .containsOnly("WAITING");
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'")).isZero();
  }

  @Test
  void erroredTriggerOfPausedGroupGoesBackToPaused() throws Exception {
    Baton first = node("a");
    first.register(Task.named("t").cron("0 0 0 1 1 ? 2099").runs(RecordingJob.class).build());
    first.pauseAll();
    first.close();
    update("UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'ERROR'");

    Baton second = node("b");

    assertThat(second.task("t").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .containsOnly("PAUSED");
  }

  @Test
  void reRegisteringAnUnchangedTaskWritesNothing() throws Exception {
    Task t =
        Task.named("report")
            .cron("0 0 3 * * ?", ZoneId.of("Europe/Paris"))
            .runs(RecordingJob.class)
            .data("format", "pdf")
            .description("nightly")
            .recoverable()
            .build();
    Baton a = node("a", b -> b.task(t));
    String before = snapshot();

    assertThat(a.register(t)).isEqualTo(Registration.UNCHANGED);
    node("b", b -> b.task(t)); // another node starting with the same tasks
    a.close();
    node("c", b -> b.task(t));

    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void completedOneShotIsNotRunAgainAtTheNextStart() {
    Task once =
        Task.named("once").once(Instant.now().plusMillis(300)).runs(RecordingJob.class).build();
    Baton a = node("a", b -> b.task(once));
    await().atMost(WAIT).until(() -> Recorder.of("once").size() == 1);
    await().atMost(WAIT).until(() -> a.task("once").orElseThrow().triggers().isEmpty());
    a.close();

    Baton b = node("b", o -> o.task(once));

    assertThat(b.register(once)).isEqualTo(Registration.UNCHANGED);
    assertThat(b.task("once").orElseThrow().triggers()).isEmpty();
    assertThat(Recorder.of("once")).hasSize(1);
  }

  @Test
  void changedDefinitionTakesEffectInPlaceWithoutAGap() throws Exception {
    Task v1 =
        Task.named("evolving").cron("* * * * * ?").runs(RecordingJob.class).data("v", "1").build();
    Baton a = node("a", b -> b.task(v1));
    node("b", b -> b.task(v1));
    await().atMost(WAIT).until(() -> Recorder.of("evolving").size() >= 2);

    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicInteger absent = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    DataSource watcherPool = db.pool(1);
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    Future<?> watch =
        watcher.submit(
            () -> {
              while (watching.get()) {
                looks.incrementAndGet();
                if (TestDatabase.count(
                        watcherPool,
                        "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'evolving'")
                    != 1) {
                  absent.incrementAndGet();
                }
              }
              return null;
            });
    List<Registration> results = new ArrayList<>();
    for (int i = 2; i <= 21; i++) {
      results.add(
          a.register(
              Task.named("evolving")
                  .cron("* * * * * ?")
                  .runs(RecordingJob.class)
                  .data("v", "" + i)
                  .build()));
    }
    watching.set(false);
    watch.get();
    watcher.shutdown();

    assertThat(results).containsOnly(Registration.UPDATED);
    assertThat(looks.get()).isPositive();
    assertThat(absent.get()).as("moments without a trigger").isZero();
    int seen = Recorder.of("evolving").size();
    await()
        .atMost(WAIT)
        .until(
            () ->
                Recorder.of("evolving").stream()
                    .skip(seen)
                    .anyMatch(e -> "21".equals(e.data().get("v"))));
  }

  @Test
  void pausedTaskStaysPausedWhenItsDefinitionChanges() {
    Baton a = node("a");
    a.register(Task.named("p").cron("* * * * * ?").runs(RecordingJob.class).build());
    a.pause("p");
    assertThat(a.register(Task.named("p").cron("*/2 * * * * ?").runs(RecordingJob.class).build()))
        .isEqualTo(Registration.UPDATED);
    assertThat(a.task("p").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .containsOnly("PAUSED");
    a.resume("p");
    assertThat(a.task("p").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .doesNotContain("PAUSED");
  }

  @Test
  void changingTheScheduleKindKeepsTheTaskWhole() {
    Baton a = node("a");
    a.register(Task.named("kind").every(Duration.ofHours(1)).runs(RecordingJob.class).build());
    a.pause("kind");
    assertThat(a.register(Task.named("kind").cron("0 0 3 * * ?").runs(RecordingJob.class).build()))
        .isEqualTo(Registration.UPDATED);
    assertThat(a.task("kind").orElseThrow().schedule()).startsWith("cron:0 0 3 * * ?");
    assertThat(a.task("kind").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .containsOnly("PAUSED");
    a.resume("kind");
    assertThat(
            a.register(
                Task.named("kind").every(Duration.ofMinutes(5)).runs(RecordingJob.class).build()))
        .isEqualTo(Registration.UPDATED);
    assertThat(a.task("kind").orElseThrow().triggers())
        .extracting(TriggerInfo::nextFireTime)
        .doesNotContainNull();
    a.pause("kind");
    assertThat(a.task("kind").orElseThrow().schedule()).isEqualTo("every:300000ms");
  }

  @Test
  void unscheduleTriggerNowPauseResumeAndListing() {
    Baton a = node("a");
    Baton b = node("b");
    a.register(
        Task.named("manual")
            .cron("0 0 0 1 1 ? 2099")
            .runs(RecordingJob.class)
            .data("k", "v")
            .build());

    b.triggerNow("manual");
    await().atMost(WAIT).until(() -> Recorder.of("manual").size() == 1);
    // The one-shot trigger of triggerNow goes once its completion is written, just after the run.
    await().atMost(WAIT).until(() -> b.task("manual").orElseThrow().triggers().size() == 1);

    TaskInfo info = b.task("manual").orElseThrow();
    assertThat(info.group()).isEqualTo("baton");
    assertThat(info.jobClass()).isEqualTo(RecordingJob.class.getName());
    assertThat(info.schedule())
        .isEqualTo("cron:0 0 0 1 1 ? 2099 @" + ZoneId.systemDefault().getId());
    assertThat(info.data()).isEqualTo(Map.of("k", "v"));
    assertThat(info.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE_NOW);
    assertThat(info.runnableHere()).isTrue();
    assertThat(info.triggers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.state()).isEqualTo("WAITING");
              assertThat(t.nextFireTime())
                  .isEqualTo(
                      java.time.LocalDateTime.of(2099, 1, 1, 0, 0)
                          .atZone(ZoneId.systemDefault())
                          .toInstant());
            });

    a.pause("manual");
    assertThat(b.task("manual").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .containsOnly("PAUSED");
    a.resume("manual");
    assertThat(b.task("manual").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .containsOnly("WAITING");

    assertThat(b.unschedule("manual")).isTrue();
    assertThat(a.task("manual")).isEmpty();
    assertThat(a.unschedule("manual")).isFalse();
    assertThatThrownBy(() -> a.triggerNow("manual"))
        .isInstanceOf(UnknownTaskException.class)
        .hasMessageContaining("manual");
    assertThatThrownBy(() -> a.pause("nope")).isInstanceOf(UnknownTaskException.class);
  }

  @Test
  void membershipListsLiveNodes() {
    Baton a = node("a");
    node("b");
    await().atMost(WAIT).until(() -> a.nodes().stream().filter(NodeInfo::alive).count() == 2);
    List<NodeInfo> nodes = a.nodes();
    assertThat(nodes).extracting(NodeInfo::nodeId).containsExactly("a", "b");
    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n.lastCheckin()).isAfter(Instant.now().minusSeconds(30));
              assertThat(n.pid()).isEqualTo(ProcessHandle.current().pid());
            });
  }

  @Test
  void badTaskIsRefusedAndWritesNothing() {
    Baton a = node("a");
    assertThatThrownBy(
            () ->
                a.register(
                    Task.named("ghost").cron("* * * * * ?").runs("com.example.Missing").build()))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("com.example.Missing")
        .hasMessageContaining("cannot be loaded");
    assertThatThrownBy(
            () ->
                a.register(
                    Task.named("notjob").cron("* * * * * ?").runs("java.lang.String").build()))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("does not implement org.quartz.Job");
    assertThat(a.tasks()).isEmpty();
  }

  @Test
  void nodesStartingAtTheSameMomentOnAnEmptyDatabaseAllStart() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Baton>> started = new ArrayList<>();
    for (String id : List.of("x", "y", "z")) started.add(pool.submit(() -> node(id)));
    for (Future<Baton> f : started) assertThat(f.get().isRunning()).isTrue();
    pool.shutdown();
    assertThat(count("SELECT COUNT(*) FROM " + quoteHistory() + " WHERE " + successColumn()))
        .isPositive();
  }

  @Test
  void shutdownWaitsForARunningJobUpToTheDeadline() {
    Baton a = node("a");
    a.register(
        Task.named("long")
            .once(Instant.now())
            .runs(RecordingJob.class)
            .data("sleepMillis", "1500")
            .build());
    await().atMost(WAIT).until(() -> Recorder.startedOf("long").size() == 1);

    a.close();

    assertThat(Recorder.of("long")).as("the execution finished before close returned").hasSize(1);
  }

  @Test
  void shutdownGivesUpAtTheDeadline() {
    Baton a = node("a", b -> b.drainTimeout(Duration.ofMillis(200)));
    a.register(
        Task.named("longer")
            .once(Instant.now())
            .runs(RecordingJob.class)
            .data("sleepMillis", "4000")
            .build());
    await().atMost(WAIT).until(() -> Recorder.startedOf("longer").size() == 1);

    a.close();

    assertThat(Recorder.of("longer"))
        .as("close returned at the deadline, before the job ended")
        .isEmpty();
    await().atMost(WAIT).until(() -> Recorder.of("longer").size() == 1);
  }

  @Test
  void unrunnableTriggersDoNotCrowdOutRunnableOnes() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    PluginJars.recordingJob(plugins, "Elsewhere");
    Baton capable = node("capable", b -> b.pluginDirectory(plugins));
    capable.pauseAll(); // so that the capable node cannot run them before it leaves
    for (int i = 0; i < 5; i++) {
      capable.register(
          Task.named("elsewhere-" + i)
              .once(Instant.now().minusSeconds(1))
              .runs("plugin.Elsewhere")
              .build());
    }
    Baton lonely = node("lonely", b -> b.batchSize(1).threads(1));
    capable.close();
    lonely.resumeAll();

    // Five due triggers this node cannot run come first; the runnable one must still fire here.
    lonely.register(Task.named("runnable").once(Instant.now()).runs(RecordingJob.class).build());

    await().atMost(WAIT).until(() -> Recorder.of("runnable").size() == 1);
    assertThat(lonely.tasks().stream().filter(t -> t.name().startsWith("elsewhere-")))
        .hasSize(5)
        .allSatisfy(
            t -> assertThat(t.triggers()).extracting(TriggerInfo::state).containsOnly("WAITING"));
  }

  @Test
  void tablesOfAStockQuartzInstallationAreAdopted() throws Exception {
    String ddl =
        new String(
            org.quartz.impl.jdbcjobstore.JobStoreSupport.class
                .getResourceAsStream(stockQuartzDdl())
                .readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    List<String> statements = new ArrayList<>();
    for (String stmt : ddl.replaceAll("(?m)^\\s*(--|#).*$", "").split(";")) {
      if (!stmt.isBlank() && !stmt.trim().equalsIgnoreCase("commit")) statements.add(stmt);
    }
    db.execute(statements.toArray(String[]::new));
    DataSource stockPool = db.pool(4);
    org.quartz.utils.DBConnectionManager.getInstance()
        .addConnectionProvider(
            "stock-" + db.kind(),
            new dev.baton.internal.database.DataSourceConnectionProvider(stockPool));
    java.util.Properties p = new java.util.Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "baton");
    p.setProperty("org.quartz.scheduler.instanceId", "stock");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", stockDelegate());
    p.setProperty("org.quartz.jobStore.dataSource", "stock-" + db.kind());
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    org.quartz.Scheduler stock = new org.quartz.impl.StdSchedulerFactory(p).getScheduler();
    stock.scheduleJob(
        org.quartz.JobBuilder.newJob(RecordingJob.class)
            .withIdentity("legacy")
            .usingJobData("k", "v")
            .build(),
        org.quartz.TriggerBuilder.newTrigger()
            .withIdentity("legacy")
            .withSchedule(org.quartz.CronScheduleBuilder.cronSchedule("* * * * * ?"))
            .build());
    stock.shutdown(true);

    Baton a = node("a");

    TaskInfo legacy =
        a.tasks().stream().filter(t -> t.name().equals("legacy")).findFirst().orElseThrow();
    assertThat(legacy.group()).isEqualTo("DEFAULT");
    assertThat(legacy.data()).isEqualTo(Map.of("k", "v"));
    await().atMost(WAIT).until(() -> Recorder.of("legacy").size() >= 2);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_BATON_NODES")).isPositive();
  }

  /** The DDL stock Quartz ships for this database, as a resource of its jar. */
  protected abstract String stockQuartzDdl();

  protected String stockDelegate() {
    return "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
  }

  @Test
  void aPluginJarAddedAtRunTimeMakesItsTasksRunnableAtOnce() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("late"));
    Path jar = PluginJars.recordingJob(plugins, "LateArrival");
    Baton without = node("without");
    Baton with = node("with", b -> b.pluginDirectory(plugins));
    with.pauseAll();
    with.register(Task.named("late").cron("* * * * * ?").runs("plugin.LateArrival").build());
    with.close();
    without.resumeAll();
    assertThat(without.task("late").orElseThrow().runnableHere()).isFalse();

    without.addPluginJar(jar);

    assertThat(without.task("late").orElseThrow().runnableHere()).isTrue();
    await().atMost(WAIT).until(() -> Recorder.of("late").size() >= 2);
    assertThat(Recorder.of("late")).extracting(Execution::node).containsOnly("without");
  }

  @Test
  void aCleanShutdownLeavesNoAcquiredTriggerBehind() throws Exception {
    Task frequent =
        Task.named("frequent").every(Duration.ofMillis(300)).runs(RecordingJob.class).build();
    Baton a = node("a", b -> b.task(frequent).idleWait(Duration.ofSeconds(5)));
    await().atMost(WAIT).until(() -> Recorder.of("frequent").size() >= 3);
    // Acquired ahead of its fire time, then halted: Quartz itself would leave it ACQUIRED.
    await()
        .atMost(WAIT)
        .until(
            () -> count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE STATE = 'ACQUIRED'") > 0);

    a.close();

    assertThat(count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS")).isZero();
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE <> 'WAITING'"))
        .isZero();
    assertThat(count("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE")).isZero();
  }

  @Test
  void aSeparateSchedulerPoolKeepsQuartzWorkingWhileTheApplicationPoolIsExhausted()
      throws Exception {
    DataSource appPool = db.pool(1);
    Baton a =
        Baton.builder(appPool)
            .schedulerDataSource(db.pool(8))
            .nodeId("separate")
            .threads(2)
            .idleWait(Duration.ofMillis(500))
            .start();
    nodes.track(a);
    a.register(Task.named("inside-tx").cron("0 0 0 1 1 ? 2099").runs(RecordingJob.class).build());

    // The application holds its only connection in an open transaction and calls Baton from it.
    try (Connection held = appPool.getConnection()) {
      held.setAutoCommit(false);
      a.triggerNow("inside-tx");
      await().atMost(WAIT).until(() -> Recorder.of("inside-tx").size() == 1);
      assertThat(a.task("inside-tx")).isPresent();
      held.rollback();
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * A user's Quartz job listener (what agents that instrument Quartz hook into) is called around
   * every fast-lane execution, as around any other: exactly once before and once after each
   * execution the history recorded.
   */
  @Test
  void usersJobListenersSeeEveryFastLaneExecution() {
    Baton a = node("a");
    await().atMost(WAIT).until(() -> ManualNode.lane(a).isOn());
    AtomicInteger before = new AtomicInteger();
    AtomicInteger after = new AtomicInteger();
    try {
      a.quartz()
          .getListenerManager()
          .addJobListener(
              new JobListenerSupport() {
                @Override
                public String getName() {
                  return "user";
                }

                @Override
                public void jobToBeExecuted(JobExecutionContext ctx) {
                  before.incrementAndGet();
                }

                @Override
                public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException e) {
                  after.incrementAndGet();
                }
              },
              NameMatcher.jobNameStartsWith("lane-"));
    } catch (SchedulerException e) {
      throw new AssertionError(e);
    }
    int shots = 20;
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < shots; i++) {
      tasks.add(Task.named("lane-" + i).once(Instant.now()).runs(RecordingJob.class).build());
    }
    a.register(tasks);

    DataSource probe = db.pool(1);
    String executed = "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME LIKE 'lane-%'";
    await()
        .atMost(WAIT)
        .until(() -> TestDatabase.count(probe, executed + " AND OUTCOME = 'SUCCEEDED'") == shots);
    assertThat(ManualNode.lane(a).isOn()).as("fired in the fast lane").isTrue();
    assertThat(TestDatabase.count(probe, executed)).isEqualTo(shots);
    assertThat(before.get()).isEqualTo(shots);
    assertThat(after.get()).isEqualTo(shots);
  }

  /** Flyway creates its table with a quoted, case-exact name. */
  protected String quoteHistory() {
    return "\"qrtz_baton_schema_history\"";
  }

  private String successColumn() {
    return quoteColumn("success") + " = " + trueLiteral();
  }

  protected String quoteColumn(String c) {
    return "\"" + c + "\"";
  }

  protected String trueLiteral() {
    return "TRUE";
  }

  /** Every column of the Quartz rows of a task, to compare before and after. */
  private String snapshot() throws SQLException {
    StringBuilder out = new StringBuilder();
    DataSource ds = db.pool(1);
    for (String sql :
        List.of(
            "SELECT * FROM QRTZ_JOB_DETAILS ORDER BY JOB_NAME",
            "SELECT * FROM QRTZ_TRIGGERS ORDER BY TRIGGER_NAME",
            "SELECT * FROM QRTZ_CRON_TRIGGERS ORDER BY TRIGGER_NAME")) {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= n; i++) {
            int type = rs.getMetaData().getColumnType(i);
            boolean binary =
                type == java.sql.Types.BLOB
                    || type == java.sql.Types.BINARY
                    || type == java.sql.Types.VARBINARY
                    || type == java.sql.Types.LONGVARBINARY;
            Object v = binary ? java.util.Arrays.toString(rs.getBytes(i)) : rs.getObject(i);
            out.append(v).append('|');
          }
          out.append('\n');
        }
      }
    }
    return out.toString();
  }

  void update(String sql) throws SQLException {
    try (Connection c = db.pool(1).getConnection()) {
      c.createStatement().executeUpdate(sql);
    }
  }

  long count(String sql) throws SQLException {
    return TestDatabase.count(db.pool(1), sql);
  }
}
