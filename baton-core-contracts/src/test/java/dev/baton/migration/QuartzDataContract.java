package dev.baton.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.migration.QuartzDataMigration.Kind;
import dev.baton.migration.QuartzDataMigration.Report;
import dev.baton.migration.QuartzDataMigration.StoredData;
import dev.baton.migration.QuartzDataMigration.Value;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.TriggerInfo;
import dev.baton.testing.NonConcurrentJob;
import dev.baton.testing.Recorder;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.StockQuartz;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;

/**
 * Data a stock Quartz 2.5 left behind with its defaults ({@code useProperties=false}: every job's
 * data, and a trigger's when it has any, is a serialized {@code JobDataMap}): Baton never acquires
 * such triggers, never sets them to ERROR, shows why they do not run, and {@link
 * QuartzDataMigration} converts what is plain. One small subclass per database.
 */
abstract class QuartzDataContract {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String CLUSTER = "legacy";

  protected TestDatabase db;
  private TestNodes nodes;

  protected abstract TestDatabase newDatabase();

  /** The DDL stock Quartz ships for this database, as a resource of its jar. */
  protected abstract String stockQuartzDdl();

  protected String stockDelegate() {
    return "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
  }

  @BeforeEach
  void setUp() throws Exception {
    Recorder.clear();
    TypedDataJob.READ.clear();
    CustomValue.DESERIALIZED.set(false);
    db = newDatabase();
    nodes = new TestNodes(db);
    StockQuartz.createTables(db, stockQuartzDdl());
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  @Test
  void adoptionDropsTheQuartzIndexesBatonDoesNotUseAndKeepsTheRest() throws Exception {
    storeStockJobs();
    Set<String> stock = SchemaContract.quartzIndexes(db.pool(1), "QRTZ_");

    node("a");

    Set<String> adopted = SchemaContract.quartzIndexes(db.pool(1), "QRTZ_");
    Set<String> expected = new TreeSet<>(stock);
    expected.retainAll(SchemaContract.KEPT);
    expected.add("T_NFT_ST_PRIO"); // Baton's acquisition index, in place of Quartz's T_NFT_ST
    assertThat(adopted).isEqualTo(expected);
    if (!stock.isEmpty()) assertThat(adopted).isEqualTo(SchemaContract.KEPT);
  }

  @Test
  void dataStockQuartzSerializedIsNeverAcquiredNeverErrorsAndIsShownNotRunnable() throws Exception {
    storeStockJobs();

    Baton node = node("a");
    node.register(
        Task.named("canary").every(Duration.ofMillis(200)).runs(RecordingJob.class).build());

    // The stock triggers fire every second and were due before the canary's first firing: every
    // acquisition since has looked at them, on both lanes (the exclusive job's is the locked one).
    await().atMost(WAIT).until(() -> Recorder.of("canary").size() >= 5);
    for (String job : List.of("plain", "dated", "custom", "exclusive")) {
      assertThat(Recorder.startedOf(job)).as(job).isEmpty();
      TaskInfo task = task(node, job);
      assertThat(task.notRunnableReason())
          .as(job)
          .contains("DEFAULT." + job)
          .contains("serialized Java object")
          .contains("baton migrate-quartz");
      assertThat(task.runnableHere()).as(job).isFalse();
      assertThat(task.runnableByLiveNode()).as(job).isFalse();
      assertThat(task.triggers()).as(job).extracting(TriggerInfo::state).containsOnly("WAITING");
    }
    assertThat(task(node, "canary").notRunnableReason()).isNull();
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE NOT IN ('WAITING',"
                    + " 'ACQUIRED', 'EXECUTING')"))
        .isZero();
    assertThat(count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME <> 'canary'"))
        .isZero();
  }

  @Test
  void aTriggerWhoseOwnDataIsSerializedDoesNotStopOtherTriggers() throws Exception {
    Scheduler stock = StockQuartz.scheduler(db, CLUSTER, stockDelegate());
    stock.scheduleJob(
        JobBuilder.newJob(RecordingJob.class).withIdentity("poison").build(),
        TriggerBuilder.newTrigger()
            .withIdentity("poison")
            .usingJobData("n", 1)
            .withSchedule(CronScheduleBuilder.cronSchedule("* * * * * ?"))
            .build());
    stock.shutdown(true);
    // Only the trigger's data stays serialized: the job's is text, as Baton writes it.
    update("UPDATE QRTZ_JOB_DETAILS SET JOB_DATA = NULL WHERE JOB_NAME = 'poison'");

    Baton node = node("a");
    node.register(
        Task.named("canary").every(Duration.ofMillis(200)).runs(RecordingJob.class).build());

    await().atMost(WAIT).until(() -> Recorder.of("canary").size() >= 3);
    assertThat(Recorder.startedOf("poison")).isEmpty();
    assertThat(task(node, "poison").notRunnableReason())
        .contains("trigger DEFAULT.poison")
        .contains("serialized Java object");
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'")).isZero();
  }

  @Test
  void misfiredTriggersWithSerializedDataDoNotCrowdOutMisfireHandling() throws Exception {
    Scheduler stock = StockQuartz.scheduler(db, CLUSTER, stockDelegate());
    List<String> names = new ArrayList<>();
    // More than Quartz handles in one pass (20), all missed before the readable one.
    for (int i = 0; i < 21; i++) names.add("serialized-late-" + i);
    names.add("text-late");
    for (String name : names) {
      stock.scheduleJob(
          JobBuilder.newJob(RecordingJob.class).withIdentity(name).usingJobData("k", "v").build(),
          TriggerBuilder.newTrigger()
              .withIdentity(name)
              .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?"))
              .build());
    }
    stock.shutdown(true);
    update("UPDATE QRTZ_JOB_DETAILS SET JOB_DATA = NULL WHERE JOB_NAME = 'text-late'");
    long now = System.currentTimeMillis();
    update(
        "UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = "
            + (now - 1_200_000)
            + " WHERE TRIGGER_NAME <> 'text-late'");
    update(
        "UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = "
            + (now - 600_000)
            + " WHERE TRIGGER_NAME = 'text-late'");

    // Quartz's misfire handler looks again after the threshold, or at once while a full page
    // remains. A pass can miss the readable trigger while a claim's scan holds its row for an
    // instant (the handler skips locked rows); with the default threshold the next look would
    // come after this test's wait. Starving stays visible at any threshold: the unreadable
    // twenty would fill every page.
    Baton node =
        nodes.start("a", b -> b.clusterName(CLUSTER).misfireThreshold(Duration.ofSeconds(2)));

    // Cron's default policy fires a misfired trigger once, now.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(Recorder.of("text-late"))
                    .as(
                        () ->
                            "executions of text-late; its trigger: "
                                + task(node, "text-late").triggers()
                                + ", now "
                                + Instant.now())
                    .hasSize(1));
    assertThat(Recorder.startedOf("serialized-late-0")).isEmpty();
    assertThat(task(node, "serialized-late-0").triggers())
        .extracting(TriggerInfo::state)
        .containsOnly("WAITING");
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'")).isZero();
  }

  @Test
  void migrationListsRefusesWhatIsNotPlainThenConvertsKeepingTheOriginalsAndTheJobsRun()
      throws Exception {
    storeStockJobs();
    Map<String, byte[]> original = storedData();
    QuartzDataMigration migration = new QuartzDataMigration(db.pool(2), CLUSTER, "QRTZ_");

    Report scan = migration.scan();
    assertThat(scan.found())
        .extracting(StoredData::describe)
        .containsExactly(
            "job DEFAULT.custom",
            "job DEFAULT.dated",
            "job DEFAULT.exclusive",
            "job DEFAULT.plain",
            "trigger DEFAULT.plain");
    assertThat(find(scan, Kind.JOB, "plain").values())
        .containsExactlyInAnyOrder(
            new Value("name", "java.lang.String", true),
            new Value("count", "java.lang.Integer", true),
            new Value("big", "java.lang.Long", true),
            new Value("flag", "java.lang.Boolean", true),
            new Value("ratio", "java.math.BigDecimal", true));
    assertThat(find(scan, Kind.TRIGGER, "plain").values())
        .containsExactly(new Value("fromTrigger", "java.lang.Integer", true));
    assertThat(find(scan, Kind.JOB, "dated").values())
        .containsExactly(new Value("when", "java.util.Date", false));
    assertThat(find(scan, Kind.JOB, "custom").values())
        .containsExactly(new Value("value", CustomValue.class.getName(), false));
    assertThat(scan.refused())
        .extracting(StoredData::describe)
        .containsExactly("job DEFAULT.custom", "job DEFAULT.dated");
    assertThat(CustomValue.DESERIALIZED).as("the application class's code never ran").isFalse();

    Report refused = migration.apply(false);
    assertThat(refused.applied()).isFalse();
    assertThat(refused.converted()).isZero();
    assertThat(refused.refused())
        .extracting(StoredData::refusal)
        .containsExactly(
            "job DEFAULT.custom: refused class "
                + CustomValue.class.getName()
                + " (value of key 'value'): only strings, numbers, booleans and characters convert"
                + " to text",
            "job DEFAULT.dated: refused class java.util.Date (value of key 'when'): only strings,"
                + " numbers, booleans and characters convert to text");
    assertThat(storedData())
        .as("nothing written")
        .containsOnlyKeys(original.keySet())
        .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(original.get(k)));
    assertThat(count("SELECT COUNT(*) FROM QRTZ_BATON_JOB_DATA_BACKUP")).isZero();

    Report applied = migration.apply(true);
    assertThat(applied.applied()).isTrue();
    assertThat(applied.converted()).isEqualTo(3);
    Map<String, byte[]> converted = storedData();
    assertThat(properties(converted.get("job DEFAULT.plain")))
        .isEqualTo(
            Map.of(
                "name",
                "alpha",
                "count",
                "42",
                "big",
                "9000000000",
                "flag",
                "true",
                "ratio",
                "0.25"));
    assertThat(properties(converted.get("trigger DEFAULT.plain")))
        .isEqualTo(Map.of("fromTrigger", "7"));
    assertThat(converted.get("job DEFAULT.dated")).isEqualTo(original.get("job DEFAULT.dated"));
    assertThat(converted.get("job DEFAULT.custom")).isEqualTo(original.get("job DEFAULT.custom"));
    assertThat(backups())
        .containsOnlyKeys("JOB DEFAULT.plain", "TRIGGER DEFAULT.plain", "JOB DEFAULT.exclusive");
    assertThat(backups().get("JOB DEFAULT.plain")).isEqualTo(original.get("job DEFAULT.plain"));
    assertThat(backups().get("TRIGGER DEFAULT.plain"))
        .isEqualTo(original.get("trigger DEFAULT.plain"));

    Report again = migration.apply(true);
    assertThat(again.converted()).as("idempotent").isZero();
    assertThat(again.found())
        .extracting(StoredData::describe)
        .containsExactly("job DEFAULT.custom", "job DEFAULT.dated");

    Baton node = node("a");

    await()
        .atMost(WAIT)
        .until(() -> TypedDataJob.READ.containsKey("plain") && !Recorder.of("exclusive").isEmpty());
    assertThat(TypedDataJob.READ.get("plain"))
        .containsExactly("alpha", 42, 9_000_000_000L, true, 0.25, 7);
    assertThat(Recorder.of("exclusive").get(0).data()).containsEntry("count", "1");
    assertThat(task(node, "plain").notRunnableReason()).isNull();
    assertThat(task(node, "dated").notRunnableReason()).contains("serialized Java object");
    assertThat(Recorder.startedOf("dated")).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'")).isZero();
    assertThat(CustomValue.DESERIALIZED).isFalse();
  }

  @Test
  void migrationNamesEveryRefusedKeyOfAJobAndListsItsConvertibleOnes() throws Exception {
    Scheduler stock = StockQuartz.scheduler(db, CLUSTER, stockDelegate());
    JobDataMap mixed = new JobDataMap();
    mixed.put("name", "alpha");
    mixed.put("when", new Date(1_700_000_000_000L));
    mixed.put("count", 42);
    mixed.put("value", new CustomValue("x"));
    mixed.put("day", DayOfWeek.MONDAY);
    mixed.put("flag", true);
    stock.scheduleJob(
        JobBuilder.newJob(RecordingJob.class).withIdentity("mixed").usingJobData(mixed).build(),
        everySecond("mixed").build());
    stock.shutdown(true);
    Map<String, byte[]> original = storedData();
    QuartzDataMigration migration = new QuartzDataMigration(db.pool(2), CLUSTER, "QRTZ_");

    Report scan = migration.scan();
    assertThat(scan.found()).extracting(StoredData::describe).containsExactly("job DEFAULT.mixed");
    StoredData found = find(scan, Kind.JOB, "mixed");
    assertThat(found.values())
        .containsExactlyInAnyOrder(
            new Value("name", "java.lang.String", true), new Value("when", "java.util.Date", false),
            new Value("count", "java.lang.Integer", true),
                new Value("value", CustomValue.class.getName(), false),
            new Value("day", "java.time.DayOfWeek", false),
                new Value("flag", "java.lang.Boolean", true));
    assertThat(found.refusal())
        .startsWith("job DEFAULT.mixed: refused classes ")
        .contains(
            "java.util.Date (value of key 'when')",
            CustomValue.class.getName() + " (value of key 'value')",
            "java.time.DayOfWeek (value of key 'day')")
        .endsWith(": only strings, numbers, booleans and characters convert to text")
        .doesNotContain("key 'name'", "key 'count'", "key 'flag'");
    assertThat(CustomValue.DESERIALIZED).as("the application class's code never ran").isFalse();

    Report refused = migration.apply(false);
    assertThat(refused.applied()).isFalse();
    assertThat(refused.refused()).extracting(StoredData::refusal).containsExactly(found.refusal());
    Report skipped = migration.apply(true);
    assertThat(skipped.applied()).isTrue();
    assertThat(skipped.converted()).isZero();
    assertThat(storedData())
        .as("nothing written")
        .containsOnlyKeys(original.keySet())
        .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(original.get(k)));
    assertThat(CustomValue.DESERIALIZED).isFalse();
  }

  @Test
  void rollbackPutsTheOriginalBytesBack() throws Exception {
    storeStockJobs();
    Map<String, byte[]> original = storedData();
    QuartzDataMigration migration = new QuartzDataMigration(db.pool(2), CLUSTER, "QRTZ_");
    assertThat(migration.apply(true).converted()).isEqualTo(3);
    assertThat(storedData().get("job DEFAULT.plain"))
        .isNotEqualTo(original.get("job DEFAULT.plain"));

    assertThat(migration.rollback()).isEqualTo(3);

    assertThat(storedData())
        .containsOnlyKeys(original.keySet())
        .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(original.get(k)));
    assertThat(count("SELECT COUNT(*) FROM QRTZ_BATON_JOB_DATA_BACKUP")).isZero();
  }

  // --- helpers -------------------------------------------------------------------------------

  /** What a typical stock installation stores: plain values, a Date, an application's class. */
  private void storeStockJobs() throws Exception {
    Scheduler stock = StockQuartz.scheduler(db, CLUSTER, stockDelegate());
    JobDataMap plain = new JobDataMap();
    plain.put("name", "alpha");
    plain.put("count", 42);
    plain.put("big", 9_000_000_000L);
    plain.put("flag", true);
    plain.put("ratio", new BigDecimal("0.25"));
    stock.scheduleJob(
        JobBuilder.newJob(TypedDataJob.class).withIdentity("plain").usingJobData(plain).build(),
        everySecond("plain").usingJobData("fromTrigger", 7).build());
    schedule(stock, RecordingJob.class, "dated", "when", new Date(1_700_000_000_000L));
    schedule(stock, RecordingJob.class, "custom", "value", new CustomValue("x"));
    schedule(stock, NonConcurrentJob.class, "exclusive", "count", 1);
    stock.shutdown(true);
  }

  private static void schedule(
      Scheduler stock, Class<? extends Job> type, String name, String key, Object value)
      throws Exception {
    JobDataMap data = new JobDataMap();
    data.put(key, value);
    stock.scheduleJob(
        JobBuilder.newJob(type).withIdentity(name).usingJobData(data).build(),
        everySecond(name).build());
  }

  private static TriggerBuilder<?> everySecond(String name) {
    return TriggerBuilder.newTrigger()
        .withIdentity(name)
        .withSchedule(CronScheduleBuilder.cronSchedule("* * * * * ?"));
  }

  private Baton node(String id) {
    return nodes.start(id, b -> b.clusterName(CLUSTER));
  }

  /** A task by name, whatever its group (stock Quartz's jobs are in DEFAULT). */
  private static TaskInfo task(Baton node, String name) {
    return node.tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private static StoredData find(Report report, Kind kind, String name) {
    return report.found().stream()
        .filter(d -> d.kind() == kind && d.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Every job's and trigger's stored data, by {@code job|trigger GROUP.NAME}. */
  private Map<String, byte[]> storedData() throws SQLException {
    Map<String, byte[]> out = new TreeMap<>();
    read("SELECT 'job', JOB_GROUP, JOB_NAME, JOB_DATA FROM QRTZ_JOB_DETAILS", out);
    read("SELECT 'trigger', TRIGGER_GROUP, TRIGGER_NAME, JOB_DATA FROM QRTZ_TRIGGERS", out);
    return out;
  }

  private Map<String, byte[]> backups() throws SQLException {
    Map<String, byte[]> out = new TreeMap<>();
    read(
        "SELECT DATA_KIND, ENTRY_GROUP, ENTRY_NAME, ORIGINAL_DATA FROM QRTZ_BATON_JOB_DATA_BACKUP",
        out);
    return out;
  }

  private void read(String sql, Map<String, byte[]> out) throws SQLException {
    DataSource ds = db.pool(1);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byte[] data = rs.getBytes(4);
        if (data != null)
          out.put(rs.getString(1) + " " + rs.getString(2) + "." + rs.getString(3), data);
      }
    }
  }

  private static Map<String, String> properties(byte[] text) throws Exception {
    Properties p = new Properties();
    p.load(new InputStreamReader(new ByteArrayInputStream(text), StandardCharsets.ISO_8859_1));
    Map<String, String> out = new TreeMap<>();
    for (String k : p.stringPropertyNames()) out.put(k, p.getProperty(k));
    return out;
  }

  private void update(String sql) throws SQLException {
    try (Connection c = db.pool(1).getConnection()) {
      c.createStatement().executeUpdate(sql);
    }
  }

  private long count(String sql) {
    return TestDatabase.count(db.pool(1), sql);
  }
}
