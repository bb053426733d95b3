package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.H2Database;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.StockQuartz;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import picocli.CommandLine;

/** {@code baton migrate-quartz} on the tables a stock Quartz 2.5.2 (useProperties=false) wrote. */
class MigrateQuartzCliTest {
  private H2Database db;
  private String url;

  /** What one command printed and returned. */
  record Result(int code, String out, String err) {}

  @BeforeEach
  void storeStockJobs() throws Exception {
    db = new H2Database();
    url = db.connectionArgs()[0];
    StockQuartz.createTables(db, "tables_h2.sql");
    Scheduler stock =
        StockQuartz.scheduler(db, "legacy", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    JobDataMap plain = new JobDataMap();
    plain.put("count", 5);
    plain.put("name", "x");
    stock.scheduleJob(
        JobBuilder.newJob(RecordingJob.class).withIdentity("report").usingJobData(plain).build(),
        TriggerBuilder.newTrigger()
            .withIdentity("report")
            .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?"))
            .build());
    JobDataMap dated = new JobDataMap();
    dated.put("when", new Date(0));
    stock.scheduleJob(
        JobBuilder.newJob(RecordingJob.class).withIdentity("dated").usingJobData(dated).build(),
        TriggerBuilder.newTrigger()
            .withIdentity("dated")
            .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?"))
            .build());
    stock.shutdown(true);
  }

  @AfterEach
  void dropDatabase() {
    if (db != null) db.close();
  }

  private Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db", url, "--db-user", "sa", "--cluster-name", "legacy"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void dryRunListsEveryKeyThenApplyRefusesUntilToldToSkipThenConvertsOnceAndRollsBack()
      throws Exception {
    Result dry = run("migrate-quartz");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains(
            "Serialized job data of cluster 'legacy' (table prefix QRTZ_): 2 found, 1 convertible,"
                + " 1 refused.")
        .containsPattern("job DEFAULT\\.report +count +java\\.lang\\.Integer +yes")
        .containsPattern("job DEFAULT\\.report +name +java\\.lang\\.String +yes")
        .containsPattern("job DEFAULT\\.dated +when +java\\.util\\.Date +NO")
        .contains("Refused: job DEFAULT.dated: refused class java.util.Date (value of key 'when')")
        .contains("Dry run: nothing written.");
    assertThat(firstBytesOf("report")).isEqualTo("aced");

    Result refused = run("migrate-quartz", "--apply");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("Nothing written: 1 job(s) or trigger(s) hold data that does not convert");
    assertThat(refused.out()).contains("Refused: job DEFAULT.dated: refused class java.util.Date");
    assertThat(firstBytesOf("report")).isEqualTo("aced");

    Result applied = run("migrate-quartz", "--apply", "--skip-refused");
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(applied.out())
        .contains(
            "Converted 1 job(s) and trigger(s); the originals are kept in"
                + " QRTZ_BATON_JOB_DATA_BACKUP")
        .contains("Left as they are (refused, never run by Baton): 1.");
    assertThat(firstBytesOf("report")).isNotEqualTo("aced");
    assertThat(firstBytesOf("dated")).isEqualTo("aced");

    Result again = run("migrate-quartz", "--apply", "--skip-refused");
    assertThat(again.out())
        .contains("1 found, 0 convertible, 1 refused.")
        .contains("Converted 0 job(s)");

    Result rollback = run("migrate-quartz", "--rollback");
    assertThat(rollback.code()).as(rollback.err()).isZero();
    assertThat(rollback.out())
        .contains(
            "Restored the original data of 1 job(s) and trigger(s) from"
                + " QRTZ_BATON_JOB_DATA_BACKUP.");
    assertThat(firstBytesOf("report")).isEqualTo("aced");
  }

  @Test
  void theDryRunAndTheRefusalNameEveryRefusedKeyOfAJobAndListItsPlainOnes() throws Exception {
    Scheduler stock =
        StockQuartz.scheduler(db, "legacy", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    JobDataMap mixed = new JobDataMap();
    mixed.put("label", "x");
    mixed.put("since", new Date(0));
    mixed.put("day", DayOfWeek.MONDAY);
    mixed.put("count", 3);
    stock.scheduleJob(
        JobBuilder.newJob(RecordingJob.class).withIdentity("mixed").usingJobData(mixed).build(),
        TriggerBuilder.newTrigger()
            .withIdentity("mixed")
            .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?"))
            .build());
    stock.shutdown(true);

    Result dry = run("migrate-quartz");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("3 found, 1 convertible, 2 refused.")
        .containsPattern("job DEFAULT\\.mixed +label +java\\.lang\\.String +yes")
        .containsPattern("job DEFAULT\\.mixed +count +java\\.lang\\.Integer +yes")
        .containsPattern("job DEFAULT\\.mixed +since +java\\.util\\.Date +NO")
        .containsPattern("job DEFAULT\\.mixed +day +java\\.time\\.DayOfWeek +NO")
        .containsPattern(
            "Refused: job DEFAULT\\.mixed: refused classes .*java\\.util\\.Date \\(value of key"
                + " 'since'\\)")
        .containsPattern(
            "Refused: job DEFAULT\\.mixed: refused classes .*java\\.time\\.DayOfWeek \\(value of"
                + " key 'day'\\)");

    Result refused = run("migrate-quartz", "--apply");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out())
        .containsPattern("Refused: job DEFAULT\\.mixed: refused classes .*'since'")
        .containsPattern("Refused: job DEFAULT\\.mixed: refused classes .*'day'");
    assertThat(firstBytesOf("mixed")).isEqualTo("aced");
  }

  @Test
  void aNodeShowsUnconvertedDataAsNotRunnableInItsApiAndTheTaskListing() throws Exception {
    Scheduler stock =
        StockQuartz.scheduler(db, "baton", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    stock.scheduleJob(
        JobBuilder.newJob(RecordingJob.class)
            .withIdentity("old-report")
            .usingJobData("count", 5)
            .build(),
        TriggerBuilder.newTrigger()
            .withIdentity("old-report")
            .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?"))
            .build());
    stock.shutdown(true);
    try (BatonNode node = TestNode.start(db, "served", 1)) {
      String base = TestNode.base(node);
      // A stock job keeps its group (DEFAULT), so it is listed, not found by name in Baton's group.
      var task =
          StreamSupport.stream(
                  new Http(base, TestNode.TOKEN)
                      .get("/api/tasks")
                      .json()
                      .get("tasks")
                      .spliterator(),
                  false)
              .filter(t -> t.get("name").asText().equals("old-report"))
              .findFirst()
              .orElseThrow();
      assertThat(task.get("stuck").asBoolean()).isTrue();
      assertThat(task.get("notRunnableReason").asText())
          .contains("the data of job DEFAULT.old-report is a serialized Java object")
          .contains("baton migrate-quartz");

      StringWriter out = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      assertThat(cli.execute("tasks", "--url", base, "--token", TestNode.TOKEN)).isZero();
      assertThat(out.toString())
          .containsPattern("old-report .*RecordingJob \\(NOT RUNNABLE, see below\\)")
          .contains(
              "old-report: not runnable: the data of job DEFAULT.old-report is a serialized Java"
                  + " object");
    }
  }

  @Test
  void anUnknownClusterNameIsAnsweredWithTheNamesThereAre() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    int code =
        cli.execute(
            "migrate-quartz", "--db", url, "--db-user", "sa", "--cluster-name", "QuartzScheduler");
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("0 found")
        .contains(
            "No job of cluster 'QuartzScheduler' in QRTZ_JOB_DETAILS; cluster names there:"
                + " legacy.");
  }

  @Test
  void withoutADatabaseItCreatesNoEmbeddedOne(@TempDir Path dataDir) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute("migrate-quartz", "--data-dir", dataDir.toString(), "--cluster-name", "legacy");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: ").contains("not found");
    assertThat(dataDir.toFile().list()).isEmpty();
  }

  @Test
  void applyOnADatabaseWithoutQuartzTablesCreatesNothing() throws Exception {
    Result wrongPrefix = run("migrate-quartz", "--apply", "--table-prefix", "OTHER_");
    assertThat(wrongPrefix.code()).isEqualTo(1);
    assertThat(wrongPrefix.err())
        .contains("error: No Quartz tables with prefix OTHER_ in this database");
    assertThat(tablesNamedLike("OTHER\\_%")).isZero();
  }

  @Test
  void badFlagsExitTwoNamingTheProblem() {
    Result skipAlone = run("migrate-quartz", "--skip-refused");
    assertThat(skipAlone.code()).isEqualTo(2);
    assertThat(skipAlone.err()).contains("--skip-refused only applies with --apply");
    Result both = run("migrate-quartz", "--apply", "--rollback");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--apply and --rollback exclude each other");
    Result prefix = run("migrate-quartz", "--table-prefix", "1bad");
    assertThat(prefix.code()).isEqualTo(2);
    assertThat(prefix.err()).contains("tablePrefix '1bad'");
  }

  private long tablesNamedLike(String pattern) throws Exception {
    try (Connection c = db.pool(1).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE ?")) {
      ps.setString(1, pattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The first two bytes of a job's stored data, in hex: {@code aced} while it is serialized. */
  private String firstBytesOf(String job) throws Exception {
    try (Connection c = db.pool(1).getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT JOB_DATA FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = ?")) {
      ps.setString(1, job);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        byte[] data = rs.getBytes(1);
        return String.format("%02x%02x", data[0], data[1]);
      }
    }
  }
}
