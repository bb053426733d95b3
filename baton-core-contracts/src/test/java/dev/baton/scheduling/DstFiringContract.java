package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quartz.CronScheduleBuilder.cronSchedule;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import dev.baton.internal.QuartzTasks;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobDetail;
import org.quartz.SchedulerException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Cron triggers fired across DST transitions through the store's own next-fire-time computation, on
 * two {@link ManualNode}s taking turns (each reads the trigger back from its row). The 2026
 * transitions are past, so the triggers replay them: they ignore misfires (Baton's {@code
 * FIRE_ALL_MISSED}), which acquisition takes however late, and their stored next fire time is set
 * to a firing just before a transition. Fired times are read from {@code QRTZ_FIRED_TRIGGERS} and
 * next fire times from {@code QRTZ_TRIGGERS}; they must follow the README's DST table (stock Quartz
 * skips or moves the firings these expect). One subclass per database.
 */
abstract class DstFiringContract {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

  private TestDatabase db;
  private DataSource probe;
  private final List<ManualNode> nodes = new ArrayList<>();

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    db = newDatabase();
    probe = db.pool(2);
    ManualNode.migrate(probe);
    for (String id : List.of("a", "b")) nodes.add(new ManualNode(db.pool(8), id));
    await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.lane.isOn()));
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(ManualNode::close);
    if (db != null) db.close();
  }

  @Test
  void aFixedTimeTaskRunsOnceAtTheJumpAndOnceInTheRepeatedHour() throws Exception {
    register(task("nightly", "0 30 2 * * ?", PARIS));

    storeNextFireTime("nightly", "2026-03-28T02:30+01:00");
    assertThat(fire("nightly", 3))
        .containsExactly(
            "2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00");
    assertThat(nextFireTime("nightly", PARIS)).isEqualTo("2026-03-31T02:30+02:00");

    storeNextFireTime("nightly", "2026-10-24T02:30+02:00");
    assertThat(fire("nightly", 3))
        .containsExactly(
            "2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
    assertThat(nextFireTime("nightly", PARIS)).isEqualTo("2026-10-27T02:30+01:00");
  }

  @Test
  void aPeriodicTaskRunsThroughBothCopiesOfTheRepeatedHour() throws Exception {
    register(task("quarterly", "0 */15 * * * ?", PARIS));
    storeNextFireTime("quarterly", "2026-10-25T01:45+02:00");
    assertThat(fire("quarterly", 7))
        .containsExactly(
            "2026-10-25T01:45+02:00",
            "2026-10-25T02:00+02:00",
            "2026-10-25T02:15+02:00",
            "2026-10-25T02:30+02:00",
            "2026-10-25T02:45+02:00",
            "2026-10-25T02:00+01:00",
            "2026-10-25T02:15+01:00");
    assertThat(nextFireTime("quarterly", PARIS)).isEqualTo("2026-10-25T02:30+01:00");

    register(task("ranged", "0 0 1-3 * * ?", PARIS));
    storeNextFireTime("ranged", "2026-10-25T01:00+02:00");
    unschedule("quarterly");
    assertThat(fire("ranged", 4))
        .containsExactly(
            "2026-10-25T01:00+02:00",
            "2026-10-25T02:00+02:00",
            "2026-10-25T02:00+01:00",
            "2026-10-25T03:00+01:00");
  }

  /** The option, chosen in the DSL, stored with the trigger, and changed by registering again. */
  @Test
  void aTaskUnderTheQuartzPolicyGetsStockQuartzAnswersUntilRegisteredWithoutIt() throws Exception {
    Task isc = task("stock", "0 30 2 * * ?", PARIS);
    Task stock =
        Task.named("stock")
            .schedule(Schedule.cron("0 30 2 * * ?", PARIS).dstPolicy(DstPolicy.QUARTZ))
            .misfire(MisfirePolicy.FIRE_ALL_MISSED)
            .runs(RecordingJob.class)
            .build();
    register(isc);
    assertThat(register(stock)).isEqualTo(Registration.UPDATED);
    assertThat(triggerData("stock")).contains(DstPolicy.TRIGGER_DATA_KEY);

    storeNextFireTime("stock", "2026-03-28T02:30+01:00");
    assertThat(fire("stock", 2))
        .containsExactly("2026-03-28T02:30+01:00", "2026-03-30T02:30+02:00");

    assertThat(register(isc)).isEqualTo(Registration.UPDATED);
    assertThat(triggerData("stock")).doesNotContain(DstPolicy.TRIGGER_DATA_KEY);
    storeNextFireTime("stock", "2026-03-28T02:30+01:00");
    assertThat(fire("stock", 2))
        .containsExactly("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00");
  }

  /**
   * A schedule whose only fire time is skipped by a jump (02:30 on 28 March 2027, the day Paris
   * springs forward): registered, it fires at the jump (stock Quartz refuses it as never firing),
   * and when it has misfired, the misfire policy, applied to the trigger read from its row, gives
   * it the same time again rather than deleting it.
   */
  @Test
  void aTimeOnlyASkippedHourHasIsKeptByRegistrationAndByTheMisfirePolicy() throws Exception {
    Task once =
        Task.named("jump")
            .cron("0 30 2 28 3 ? 2027", PARIS)
            .misfire(MisfirePolicy.SKIP)
            .runs(RecordingJob.class)
            .build();
    register(once);
    assertThat(nextFireTime("jump", PARIS)).isEqualTo("2027-03-28T03:00+02:00");

    // Misfired: due ten minutes ago, beyond the misfire threshold (60 s). Resuming it applies
    // the misfire policy at once (the misfire handler would within a minute: the same answer).
    long misfired = System.currentTimeMillis() - 600_000;
    storeNextFireTime(
        "jump", Instant.ofEpochMilli(misfired).atZone(PARIS).toOffsetDateTime().toString());
    nodes.get(0).scheduler.pause("jump");
    nodes.get(1).scheduler.resume("jump");
    assertThat(nextFireTime("jump", PARIS)).isEqualTo("2027-03-28T03:00+02:00");
  }

  /**
   * A cron trigger made with Quartz's API: its first fire time (computed by stock Quartz before the
   * store sees it) is corrected when stored, and every later one follows the policy too.
   */
  @Test
  void aQuartzApiCronTriggerFollowsThePolicyFromItsFirstFireTime() throws Exception {
    schedule("api", null);
    assertThat(nextFireTime("api", LORD_HOWE)).isEqualTo("2026-10-04T02:30+11:00");
    assertThat(fire("api", 2)).containsExactly("2026-10-04T02:30+11:00", "2026-10-05T02:15+11:00");

    schedule("api-stock", "QUARTZ");
    assertThat(nextFireTime("api-stock", LORD_HOWE)).isEqualTo("2026-10-05T02:15+11:00");

    assertThatThrownBy(() -> schedule("api-bad", "VIXIE"))
        .isInstanceOf(SchedulerException.class)
        .hasMessageContaining(DstPolicy.TRIGGER_DATA_KEY)
        .hasMessageContaining("'VIXIE'");
  }

  private void schedule(String name, String policy) throws SchedulerException {
    ZonedStart start = new ZonedStart("2026-10-03T12:00", LORD_HOWE);
    var b =
        newTrigger()
            .withIdentity(name)
            .withSchedule(
                cronSchedule("0 15 2 * * ?")
                    .inTimeZone(TimeZone.getTimeZone(LORD_HOWE))
                    .withMisfireHandlingInstructionIgnoreMisfires())
            .startAt(start.date());
    if (policy != null) b.usingJobData(DstPolicy.TRIGGER_DATA_KEY, policy);
    JobDetail job = newJob(RecordingJob.class).withIdentity(name).build();
    nodes.get(0).quartz.scheduleJob(job, b.build());
  }

  private record ZonedStart(String local, ZoneId zone) {
    Date date() {
      return Date.from(LocalDateTime.parse(local).atZone(zone).toInstant());
    }
  }

  private static Task task(String name, String cron, ZoneId zone) {
    return Task.named(name)
        .cron(cron, zone)
        .misfire(MisfirePolicy.FIRE_ALL_MISSED)
        .runs(RecordingJob.class)
        .build();
  }

  private Registration register(Task task) {
    return nodes.get(0).scheduler.register(task);
  }

  private void unschedule(String task) {
    nodes.get(0).scheduler.unschedule(task);
  }

  /**
   * Fires the trigger {@code n} times, the nodes taking turns, each acquiring it as its scheduler
   * thread would; returns the scheduled times the firings recorded in the database.
   */
  private List<String> fire(String trigger, int n) throws Exception {
    ZoneId zone = zoneOf(trigger);
    List<String> fired = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ManualNode node = nodes.get(i % nodes.size());
      List<OperableTrigger> got =
          node.store.acquireNextTriggers(System.currentTimeMillis() + 1_000, 1, 0);
      assertThat(got).extracting(t -> t.getKey().getName()).containsExactly(trigger);
      TriggerFiredBundle bundle = node.store.triggersFired(got).get(0).getTriggerFiredBundle();
      assertThat(bundle).as("firing %d of %s on %s", i, trigger, node.id).isNotNull();
      long scheduled = firedScheduledTime(bundle.getTrigger().getFireInstanceId());
      assertThat(scheduled).isEqualTo(bundle.getScheduledFireTime().getTime());
      fired.add(Instant.ofEpochMilli(scheduled).atZone(zone).toOffsetDateTime().toString());
      node.store.triggeredJobComplete(
          bundle.getTrigger(), bundle.getJobDetail(), CompletedExecutionInstruction.NOOP);
      String entry = bundle.getTrigger().getFireInstanceId();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  TestDatabase.count(
                          probe,
                          "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE ENTRY_ID = '"
                              + entry
                              + "'")
                      == 0);
    }
    return fired;
  }

  private ZoneId zoneOf(String trigger) throws SQLException {
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT TIME_ZONE_ID FROM QRTZ_CRON_TRIGGERS WHERE TRIGGER_NAME = ?")) {
      ps.setString(1, trigger);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return ZoneId.of(rs.getString(1));
      }
    }
  }

  private long firedScheduledTime(String entryId) throws SQLException {
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT SCHED_TIME FROM QRTZ_FIRED_TRIGGERS WHERE ENTRY_ID = ?")) {
      ps.setString(1, entryId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("fired entry %s", entryId).isTrue();
        return rs.getLong(1);
      }
    }
  }

  /** Moves the trigger back in time: its next fire time and its start are {@code at}. */
  private void storeNextFireTime(String trigger, String at) throws SQLException {
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = ?, START_TIME = ? WHERE TRIGGER_NAME"
                    + " = ?")) {
      long millis = OffsetDateTime.parse(at).toInstant().toEpochMilli();
      ps.setLong(1, millis);
      // Quartz computes no fire time before the start time, which registration set to now.
      ps.setLong(2, millis);
      ps.setString(3, trigger);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private String nextFireTime(String trigger, ZoneId zone) {
    long next =
        TestDatabase.count(
            probe,
            "SELECT NEXT_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = '" + trigger + "'");
    return Instant.ofEpochMilli(next).atZone(zone).toOffsetDateTime().toString();
  }

  /** The trigger's own job data, as stored (properties text). */
  private String triggerData(String trigger) throws SQLException {
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT JOB_DATA FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = ? AND TRIGGER_GROUP ="
                    + " ?")) {
      ps.setString(1, trigger);
      ps.setString(2, QuartzTasks.triggerKey(trigger).getGroup());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        byte[] data = rs.getBytes(1);
        return data == null ? "" : new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
      }
    }
  }
}
