package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.internal.QuartzTasks;
import dev.baton.internal.store.TaskRegistration;
import dev.baton.testing.NonConcurrentJob;
import dev.baton.testing.Recorder;
import dev.baton.testing.Recorder.Execution;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Set-based registration of many tasks at once ({@link TaskRegistration}) on a real database: the
 * same semantics as registering each task alone, rows Quartz reads back and fires. One subclass per
 * database.
 */
abstract class RegistrationContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** More than one chunk, so that chunking is exercised too. */
  private static final int ONE_OFFS = TaskRegistration.CHUNK + 150;

  private TestDatabase db;
  private TestNodes nodes;
  private DataSource probe;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
    probe = db.pool(1);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  /** One-offs (some with data), intervals and crons, some firing every second, some never soon. */
  private static List<Task> mixedBatch(Instant due) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < ONE_OFFS; i++) {
      Task.Builder b =
          Task.named("shot-" + i).once(due.plusMillis(i % 500)).runs(RecordingJob.class);
      if (i % 3 == 0) b.data("n", Integer.toString(i)).data("text", "é=ü:\\ #" + i);
      tasks.add(b.build());
    }
    for (int i = 0; i < 5; i++) {
      tasks.add(
          Task.named("every-" + i)
              .every(Duration.ofHours(1))
              .runs(RecordingJob.class)
              .data("k", "e" + i)
              .build());
      tasks.add(
          Task.named("tick-" + i)
              .cron("* * * * * ?", ZoneId.of("Asia/Tokyo"))
              .runs(RecordingJob.class)
              .build());
      tasks.add(
          Task.named("far-" + i)
              .cron("0 0 3 1 1 ? 2099", ZoneId.of("UTC"))
              .runs(RecordingJob.class)
              .description("far " + i)
              .recoverable()
              .misfire(MisfirePolicy.SKIP)
              .build());
    }
    return tasks;
  }

  @Test
  void aMixedBatchIsStoredInQuartzsRowsAndEveryTaskFires() throws Exception {
    Baton a = nodes.start("a", b -> b.threads(8));
    Instant due = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    List<Task> batch = mixedBatch(due);

    Map<String, Registration> result = a.register(batch);

    assertThat(result)
        .hasSize(batch.size())
        .allSatisfy((name, r) -> assertThat(r).isEqualTo(Registration.CREATED));
    assertThat(count("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE JOB_NAME NOT LIKE 'baton.%'"))
        .isEqualTo(batch.size());
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_SIMPLE_TRIGGERS WHERE TRIGGER_NAME NOT LIKE 'baton.%'"))
        .isEqualTo(ONE_OFFS + 5);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_CRON_TRIGGERS")).isEqualTo(10);

    // Read back by Quartz's own mapping (the catalog) as they were defined.
    TaskInfo far = a.task("far-2").orElseThrow();
    assertThat(far.schedule()).isEqualTo("cron:0 0 3 1 1 ? 2099 @UTC");
    assertThat(far.description()).isEqualTo("far 2");
    assertThat(far.recoverable()).isTrue();
    assertThat(far.misfirePolicy()).isEqualTo(MisfirePolicy.SKIP);
    assertThat(far.triggers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.state()).isEqualTo("WAITING");
              assertThat(t.nextFireTime()).isEqualTo(Instant.parse("2099-01-01T03:00:00Z"));
            });
    assertThat(a.task("shot-3").orElseThrow().data())
        .isEqualTo(Map.of("n", "3", "text", "é=ü:\\ #3"));

    // Every one-off fires exactly once, with its data; intervals fire at once; crons every second.
    await()
        .atMost(WAIT)
        .until(
            () ->
                count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME LIKE 'shot-%'") == 0);
    for (int i = 0; i < ONE_OFFS; i++) {
      List<Execution> runs = Recorder.of("shot-" + i);
      assertThat(runs).as("shot-%d", i).hasSize(1);
      if (i % 3 == 0) assertThat(runs.get(0).data()).containsEntry("text", "é=ü:\\ #" + i);
      assertThat(runs.get(0).scheduled()).isEqualTo(due.plusMillis(i % 500));
    }
    await()
        .atMost(WAIT)
        .until(
            () -> {
              for (int i = 0; i < 5; i++) {
                if (Recorder.of("every-" + i).isEmpty() || Recorder.of("tick-" + i).size() < 2)
                  return false;
              }
              return true;
            });
    assertThat(Recorder.of("every-4").get(0).data()).containsEntry("k", "e4");
    assertThat(Recorder.of("far-0")).isEmpty();
    // The history, in the database, has one successful execution of each one-off.
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(
                        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME LIKE 'shot-%'"
                            + " AND OUTCOME = 'SUCCEEDED'")
                    == ONE_OFFS);
    assertThat(
            count(
                "SELECT COUNT(DISTINCT JOB_NAME) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME LIKE"
                    + " 'shot-%'"))
        .isEqualTo(ONE_OFFS);
  }

  @Test
  void aBatchRegisteredWhileEverythingIsPausedIsStoredPausedAndReRegisteringItWritesNothing()
      throws Exception {
    Baton a = nodes.start("a", b -> b);
    a.pauseAll();
    List<Task> batch = mixedBatch(Instant.now().plusSeconds(1));

    assertThat(a.register(batch).values()).containsOnly(Registration.CREATED);
    // As Quartz's storeTrigger does: in a paused group, stored PAUSED.
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME NOT LIKE 'baton.%' AND"
                    + " TRIGGER_STATE = 'PAUSED'"))
        .isEqualTo(batch.size());
    // Columns registration writes but never compares: any write would put them back.
    update(
        "UPDATE QRTZ_JOB_DETAILS SET IS_UPDATE_DATA = "
            + trueLiteral()
            + " WHERE JOB_NAME NOT LIKE 'baton.%'");
    update("UPDATE QRTZ_TRIGGERS SET PRIORITY = 7 WHERE TRIGGER_NAME NOT LIKE 'baton.%'");
    String before = snapshot();

    Map<String, Registration> again = a.register(batch);
    nodes.start("b", b -> b.tasks(batch)); // a node starting with the same tasks

    assertThat(again).hasSize(batch.size());
    assertThat(again.values()).containsOnly(Registration.UNCHANGED);
    assertThat(snapshot()).isEqualTo(before);

    a.resumeAll();
    await()
        .atMost(WAIT)
        .until(() -> Recorder.of("shot-0").size() == 1 && Recorder.of("every-0").size() == 1);
  }

  @Test
  void changedTasksAreUpdatedInPlacePausedStayPausedAndACompletedOneShotIsNotRecreated()
      throws Exception {
    Baton a = nodes.start("a", b -> b);
    List<Task> v1 =
        List.of(
            Task.named("data")
                .cron("0 0 3 1 1 ? 2099")
                .runs(RecordingJob.class)
                .data("v", "1")
                .build(),
            Task.named("paused").every(Duration.ofHours(1)).runs(RecordingJob.class).build(),
            Task.named("kind").every(Duration.ofHours(2)).runs(RecordingJob.class).build(),
            Task.named("done")
                .once(Instant.now().plusMillis(200))
                .runs(RecordingJob.class)
                .data("v", "1")
                .build(),
            Task.named("same").cron("0 0 4 1 1 ? 2099").runs(RecordingJob.class).build());
    assertThat(a.register(v1).values()).containsOnly(Registration.CREATED);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Recorder.of("done").size() == 1
                    && a.task("done").orElseThrow().triggers().isEmpty());
    await()
        .atMost(WAIT)
        .until(() -> Recorder.of("paused").size() == 1 && Recorder.of("kind").size() == 1);
    a.pause("paused");
    a.pause("kind");
    // A column the in-place update of a trigger row does not write: it survives only if the row
    // is updated, not deleted and inserted again.
    update(
        "UPDATE QRTZ_TRIGGERS SET JOB_DATA = "
            + marker()
            + " WHERE TRIGGER_NAME IN ('data', 'paused', 'kind')");
    Instant doneAt = ((Schedule.Once) v1.get(3).schedule()).at();

    Map<String, Registration> result =
        a.register(
            List.of(
                Task.named("data")
                    .cron("0 0 3 1 1 ? 2099")
                    .runs(RecordingJob.class)
                    .data("v", "2")
                    .build(),
                Task.named("paused").every(Duration.ofMinutes(30)).runs(RecordingJob.class).build(),
                Task.named("kind").cron("0 0 5 1 1 ? 2099").runs(RecordingJob.class).build(),
                Task.named("done").once(doneAt).runs(RecordingJob.class).data("v", "2").build(),
                Task.named("same").cron("0 0 4 1 1 ? 2099").runs(RecordingJob.class).build(),
                Task.named("new").cron("0 0 6 1 1 ? 2099").runs(RecordingJob.class).build()));

    assertThat(result)
        .containsExactly(
            Map.entry("data", Registration.UPDATED),
            Map.entry("paused", Registration.UPDATED),
            Map.entry("kind", Registration.UPDATED),
            Map.entry("done", Registration.UPDATED),
            Map.entry("same", Registration.UNCHANGED),
            Map.entry("new", Registration.CREATED));
    assertThat(a.task("data").orElseThrow().data()).isEqualTo(Map.of("v", "2"));
    assertThat(triggerData("data", "paused", "kind"))
        .as("trigger rows updated in place, not replaced")
        .containsOnly("[35]");
    TaskInfo paused = a.task("paused").orElseThrow();
    assertThat(paused.schedule()).isEqualTo("every:1800000ms");
    assertThat(paused.triggers()).extracting(TriggerInfo::state).containsOnly("PAUSED");
    TaskInfo kind = a.task("kind").orElseThrow();
    assertThat(kind.schedule()).startsWith("cron:0 0 5 1 1 ? 2099");
    assertThat(kind.triggers()).extracting(TriggerInfo::state).containsOnly("PAUSED");
    assertThat(count("SELECT COUNT(*) FROM QRTZ_SIMPLE_TRIGGERS WHERE TRIGGER_NAME = 'kind'"))
        .isZero();
    assertThat(count("SELECT COUNT(*) FROM QRTZ_CRON_TRIGGERS WHERE TRIGGER_NAME = 'kind'"))
        .isEqualTo(1);
    TaskInfo done = a.task("done").orElseThrow();
    assertThat(done.data()).isEqualTo(Map.of("v", "2"));
    assertThat(done.triggers()).as("a completed one-shot is not recreated").isEmpty();

    a.resume("kind");
    assertThat(a.task("kind").orElseThrow().triggers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.state()).isEqualTo("WAITING");
              assertThat(t.nextFireTime())
                  .isEqualTo(
                      java.time.LocalDateTime.of(2099, 1, 1, 5, 0)
                          .atZone(ZoneId.systemDefault())
                          .toInstant());
            });
    Thread.sleep(500); // time passing is the point: the completed one-shot must not run again
    assertThat(Recorder.of("done")).hasSize(1);
  }

  @Test
  void aTriggerOfAnExecutingNonConcurrentJobIsStoredBlocked() {
    Baton a = nodes.start("a", b -> b);
    a.register(
        Task.named("excl")
            .every(Duration.ofHours(1))
            .runs(NonConcurrentJob.class)
            .data("sleepMillis", "3000")
            .build());
    await().atMost(WAIT).until(() -> Recorder.startedOf("excl").size() == 1);

    assertThat(
            a.register(
                List.of(
                    Task.named("excl")
                        .every(Duration.ofHours(1))
                        .runs(NonConcurrentJob.class)
                        .data("sleepMillis", "2999")
                        .build())))
        .containsEntry("excl", Registration.UPDATED);

    assertThat(a.task("excl").orElseThrow().triggers())
        .extracting(TriggerInfo::state)
        .containsOnly("BLOCKED");
    await().atMost(WAIT).until(() -> Recorder.of("excl").size() == 1);
    await()
        .atMost(WAIT)
        .until(() -> a.task("excl").orElseThrow().triggers().get(0).state().equals("WAITING"));
  }

  @Test
  void aBatchWithOneInvalidTaskWritesNothing() throws Exception {
    Baton a = nodes.start("a", b -> b);
    List<Task> batch = new ArrayList<>(mixedBatch(Instant.now().plusSeconds(1)));
    batch.add(7, Task.named("ghost").cron("* * * * * ?").runs("com.example.Missing").build());
    String before = snapshot();

    assertThatThrownBy(() -> a.register(batch))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("ghost")
        .hasMessageContaining("com.example.Missing");
    batch.set(7, Task.named("never").cron("0 0 0 1 1 ? 2000").runs(RecordingJob.class).build());
    assertThatThrownBy(() -> a.register(batch))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("never")
        .hasMessageContaining("never fires");

    assertThat(a.tasks()).isEmpty();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(Recorder.of("shot-0")).isEmpty();
  }

  @Test
  void aNameGivenTwiceIsRegisteredOnceWithItsLastDefinition() {
    Baton a = nodes.start("a", b -> b);
    Map<String, Registration> r =
        a.register(
            List.of(
                Task.named("twice")
                    .cron("0 0 3 1 1 ? 2099")
                    .runs(RecordingJob.class)
                    .data("v", "1")
                    .build(),
                Task.named("twice")
                    .cron("0 0 3 1 1 ? 2099")
                    .runs(RecordingJob.class)
                    .data("v", "2")
                    .build()));
    assertThat(r).containsExactly(Map.entry("twice", Registration.CREATED));
    assertThat(a.task("twice").orElseThrow().data()).isEqualTo(Map.of("v", "2"));
  }

  @Test
  void rowsAreThoseStockQuartzWritesForTheSameJobsAndTriggers() throws Exception {
    Baton a = nodes.start("a", b -> b);
    Instant at = Instant.parse("2098-05-06T07:08:09.123Z");
    List<Task> tasks =
        List.of(
            Task.named("q-once")
                .once(at)
                .runs(RecordingJob.class)
                .data("k", "v")
                .data("odd", "ü\\=#!:\n x")
                .build(),
            Task.named("q-every")
                .every(Duration.ofMinutes(7))
                .runs(NonConcurrentJob.class)
                .misfire(MisfirePolicy.SKIP)
                .description("seven")
                .recoverable()
                .build(),
            Task.named("q-cron")
                .cron("0 15 10 ? * MON-FRI", ZoneId.of("Europe/Paris"))
                .runs(RecordingJob.class)
                .misfire(MisfirePolicy.FIRE_ALL_MISSED)
                .underLock("q-lock")
                .build());
    a.pauseAll(); // nothing fires and changes the rows meanwhile; both store them PAUSED
    a.register(tasks);

    // The same jobs and triggers, stored by stock Quartz (not started) under another scheduler
    // name.
    org.quartz.utils.DBConnectionManager.getInstance()
        .addConnectionProvider(
            "stock-reg-" + db.kind(),
            new dev.baton.internal.database.DataSourceConnectionProvider(db.pool(2)));
    java.util.Properties p = new java.util.Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "stock");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", stockDelegate());
    p.setProperty("org.quartz.jobStore.dataSource", "stock-reg-" + db.kind());
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    org.quartz.Scheduler stock = new org.quartz.impl.StdSchedulerFactory(p).getScheduler();
    try {
      stock.pauseAll();
      for (Task t : tasks)
        stock.scheduleJob(
            QuartzTasks.job(t, jobClass(t)),
            QuartzTasks.trigger(t, null, System.currentTimeMillis()));
    } finally {
      stock.shutdown(false);
    }

    // Start times (and so an interval's next fire time) are when each trigger was built.
    assertThat(rows("baton", "q-every")).isEqualTo(rows("stock", "q-every"));
    assertThat(rows("baton", "q-once"))
        .isEqualTo(rows("stock", "q-once"))
        .contains(at.toEpochMilli() + "|");
    assertThat(rows("baton", "q-cron")).isEqualTo(rows("stock", "q-cron"));
  }

  private static Class<? extends org.quartz.Job> jobClass(Task t) throws ClassNotFoundException {
    return Class.forName(t.jobClassName()).asSubclass(org.quartz.Job.class);
  }

  /**
   * A task's rows in every Quartz table, scheduler name and start time left out, job data parsed.
   */
  private String rows(String scheduler, String task) throws SQLException {
    StringBuilder out = new StringBuilder();
    for (String table : List.of("JOB_DETAILS", "TRIGGERS", "SIMPLE_TRIGGERS", "CRON_TRIGGERS")) {
      String key = table.equals("JOB_DETAILS") ? "JOB_NAME" : "TRIGGER_NAME";
      try (Connection c = probe.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM QRTZ_" + table + " WHERE SCHED_NAME = ? AND " + key + " = ?")) {
        ps.setString(1, scheduler);
        ps.setString(2, task);
        try (ResultSet rs = ps.executeQuery()) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            out.append(table).append(": ");
            for (int i = 1; i <= n; i++) {
              String column = rs.getMetaData().getColumnName(i).toUpperCase(java.util.Locale.ROOT);
              if (column.equals("SCHED_NAME")
                  || column.equals("START_TIME")
                  || (column.equals("NEXT_FIRE_TIME") && task.equals("q-every"))) continue;
              Object v;
              if (column.equals("JOB_DATA")) {
                byte[] b = rs.getBytes(i);
                java.util.Properties data = new java.util.Properties();
                if (b != null) {
                  try {
                    data.load(new java.io.ByteArrayInputStream(b));
                  } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                  }
                }
                v =
                    (b == null ? "null " : b.length == 0 ? "empty " : "")
                        + new java.util.TreeMap<>(data);
              } else {
                v = rs.getObject(i);
                if (v instanceof Number num) v = num.longValue();
                if (v instanceof Boolean bool) v = bool ? 1 : 0;
              }
              out.append(column).append('=').append(v).append('|');
            }
            out.append('\n');
          }
        }
      }
    }
    assertThat(out).as("rows of %s / %s", scheduler, task).isNotEmpty();
    return out.toString();
  }

  protected String stockDelegate() {
    return "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
  }

  // --- helpers -------------------------------------------------------------------------------

  protected String trueLiteral() {
    return "TRUE";
  }

  /**
   * A byte-string literal of "#" (properties text holding only a comment), in this database's
   * syntax.
   */
  protected String marker() {
    return "X'23'";
  }

  /** Every column of the Quartz rows, to compare before and after. */
  private String snapshot() throws SQLException {
    StringBuilder out = new StringBuilder();
    for (String sql :
        List.of(
            "SELECT * FROM QRTZ_JOB_DETAILS ORDER BY JOB_NAME",
            "SELECT * FROM QRTZ_TRIGGERS ORDER BY TRIGGER_NAME",
            "SELECT * FROM QRTZ_SIMPLE_TRIGGERS ORDER BY TRIGGER_NAME",
            "SELECT * FROM QRTZ_CRON_TRIGGERS ORDER BY TRIGGER_NAME",
            "SELECT * FROM QRTZ_PAUSED_TRIGGER_GRPS ORDER BY TRIGGER_GROUP")) {
      try (Connection c = probe.getConnection();
          PreparedStatement ps = c.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          String name = rs.getString(2);
          // Baton's own maintenance task fires on its own schedule; it is not under test here.
          if (name != null && name.startsWith("baton.")) continue;
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

  /** The trigger rows' own job data, as byte lists. */
  private List<String> triggerData(String... names) throws SQLException {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      try (Connection c = probe.getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT JOB_DATA FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(java.util.Arrays.toString(rs.getBytes(1)));
        }
      }
    }
    assertThat(out).hasSize(names.length);
    return out;
  }

  private void update(String sql) throws SQLException {
    try (Connection c = probe.getConnection()) {
      c.createStatement().executeUpdate(sql);
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = probe.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
