package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quartz.CronScheduleBuilder.cronSchedule;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;
import static org.quartz.TriggerBuilder.newTrigger;

import dev.baton.Baton;
import dev.baton.testing.Recorder;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quartz.JobDetail;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * Re-registration never rewinds: a trigger stored again over itself — through the task DSL, every
 * Quartz road that replaces, and as Spring's {@code overwrite-existing-jobs} does at each start,
 * with a start time computed at boot — keeps its progress, so no fire time runs twice and none is
 * skipped (read from the history table), also with nodes starting together and restarting one by
 * one. A changed schedule continues after the last fire time that fired. One subclass per database.
 */
abstract class ReRegistrationContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** How long before the store a trigger was built "at boot": its start time. */
  private static final long BOOT_MILLIS = 3000;

  private static final String CRON = "* * * * * ?";

  private TestDatabase db;
  private TestNodes nodes;
  private DataSource probe;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
    probe = db.pool(2);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  /** The replacing roads of Quartz's API, each given fresh objects (Quartz mutates triggers). */
  private enum Road {
    RESCHEDULE,
    SCHEDULE_WITH_REPLACE,
    SCHEDULE_JOBS_WITH_REPLACE,
    ADD_JOB_AND_RESCHEDULE;

    void store(Scheduler q, JobDetail job, Trigger trigger) throws SchedulerException {
      switch (this) {
        case RESCHEDULE -> q.rescheduleJob(trigger.getKey(), trigger);
        case SCHEDULE_WITH_REPLACE -> q.scheduleJob(job, Set.of(trigger), true);
        case SCHEDULE_JOBS_WITH_REPLACE ->
            q.scheduleJobs(Map.<JobDetail, Set<? extends Trigger>>of(job, Set.of(trigger)), true);
        case ADD_JOB_AND_RESCHEDULE -> {
          q.addJob(job, true);
          q.rescheduleJob(trigger.getKey(), trigger);
        }
      }
    }
  }

  @Test
  void anUnchangedTriggerStoredAgainThroughQuartzKeepsItsProgress() throws Exception {
    Scheduler q = nodes.start("a", b -> b).quartz();
    List<String> names = new ArrayList<>();
    for (Road road : Road.values()) {
      for (String kind : List.of("cron", "simple")) {
        String name = kind + "-" + road.name().toLowerCase();
        names.add(name);
        q.scheduleJob(job(name), trigger(name, kind, System.currentTimeMillis()));
      }
    }
    // A paused pair: their fire times must not move at all.
    q.scheduleJob(job("cron-paused"), trigger("cron-paused", "cron", System.currentTimeMillis()));
    q.scheduleJob(
        job("simple-paused"), trigger("simple-paused", "simple", System.currentTimeMillis()));
    awaitFirings(names, 2);
    awaitFirings(List.of("cron-paused", "simple-paused"), 1);
    q.pauseTrigger(key("cron-paused"));
    q.pauseTrigger(key("simple-paused"));
    Map<String, Long> pausedNext =
        Map.of("cron-paused", next("cron-paused"), "simple-paused", next("simple-paused"));

    long boot = System.currentTimeMillis() - BOOT_MILLIS;
    for (Road road : Road.values()) {
      for (String kind : List.of("cron", "simple")) {
        String name = kind + "-" + road.name().toLowerCase();
        road.store(q, job(name), trigger(name, kind, boot));
      }
      for (String paused : List.of("cron-paused", "simple-paused")) {
        road.store(q, job(paused), trigger(paused, paused.split("-")[0], boot));
        assertThat(q.getTriggerState(key(paused)))
            .as("%s after %s", paused, road)
            .isEqualTo(Trigger.TriggerState.PAUSED);
        assertThat(next(paused)).as("%s after %s", paused, road).isEqualTo(pausedNext.get(paused));
      }
    }
    Map<String, Integer> before = firings(names);
    awaitFirings(names, before, 3);
    nodes.close();
    assertEveryFireTimeOnceInSequence(names);
  }

  @Test
  void aTaskRegisteredAgainKeepsItsProgressWhenItsScheduleIsUnchanged() throws Exception {
    Baton a = nodes.start("a", b -> b);
    a.register(List.of(task("tick", ""), task("every", "")));
    a.register(List.of(task("tick-paused", ""), task("every-paused", "")));
    List<String> names = List.of("tick", "every");
    awaitFirings(names, 2);
    awaitFirings(List.of("tick-paused", "every-paused"), 1);
    a.pause("tick-paused");
    a.pause("every-paused");
    long tickNext = next("tick-paused");
    long everyNext = next("every-paused");

    // Unchanged, then changed in all but its schedule: both keep the stored fire times.
    a.register(List.of(task("tick", ""), task("every", "")));
    a.register(List.of(task("tick", "v2"), task("every", "v2")));
    a.register(List.of(task("tick-paused", "v2"), task("every-paused", "v2")));
    assertThat(next("tick-paused")).isEqualTo(tickNext);
    assertThat(next("every-paused")).isEqualTo(everyNext);
    assertThat(a.quartz().getTriggerState(dslKey("every-paused")))
        .isEqualTo(Trigger.TriggerState.PAUSED);

    Map<String, Integer> before = firings(names);
    awaitFirings(names, before, 3);
    nodes.close();
    assertEveryFireTimeOnceInSequence(names);
  }

  @Test
  void aChangedScheduleContinuesAfterTheLastFireTimeThatFired() throws Exception {
    Scheduler q = nodes.start("a", b -> b).quartz();
    q.scheduleJob(job("changed"), trigger("changed", "cron", System.currentTimeMillis()));
    awaitFirings(List.of("changed"), 3);
    // Every other second from a start at "boot": without the rule, the even seconds since then
    // that had already fired would fire again.
    Trigger everyOther =
        newTrigger()
            .withIdentity(key("changed"))
            .forJob("changed", "app")
            .startAt(new Date(System.currentTimeMillis() - BOOT_MILLIS))
            .withSchedule(cronSchedule("0/2 * * * * ?"))
            .build();
    long lastBefore = lastScheduled("changed");
    q.rescheduleJob(key("changed"), everyOther);
    long changedAt = System.currentTimeMillis();
    assertThat(next("changed")).as("next fire time after the change").isGreaterThan(lastBefore);
    await().atMost(WAIT).until(() -> lastScheduled("changed") > changedAt + 4000);
    nodes.close();

    Map<String, List<Long>> times = scheduledTimes();
    List<Long> after = times.get("changed").stream().filter(t -> t > changedAt).toList();
    assertThat(duplicates(times.get("changed"))).as("fire times run twice").isEmpty();
    assertThat(after).isNotEmpty().allSatisfy(t -> assertThat(t % 2000).isZero());
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {2, 3})
  void nodesStartingTogetherAndRestartingOneByOneRunEachFireTimeOnce(int count) throws Exception {
    List<String> names = List.of("cron-q", "simple-q", "tick", "every");
    List<Baton> started = startTogether(count);
    awaitFirings(names, 3);
    for (int i = 0; i < count; i++) {
      Map<String, Integer> before = firings(names);
      started.get(i).close();
      started.set(i, bootNode("n" + i));
      awaitFirings(names, before, 2);
    }
    nodes.close();
    assertEveryFireTimeOnceInSequence(names);
  }

  /** Nodes built, registering and started on threads of their own, at once. */
  private List<Baton> startTogether(int count) {
    List<CompletableFuture<Baton>> boots = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "n" + i;
      boots.add(CompletableFuture.supplyAsync(() -> bootNode(id)));
    }
    return new ArrayList<>(boots.stream().map(CompletableFuture::join).toList());
  }

  /**
   * A node as an application boots it: the task DSL's tasks, and Quartz's job and triggers stored
   * as Spring's {@code overwrite-existing-jobs} does, with triggers built a while before.
   */
  private Baton bootNode(String id) {
    long boot = System.currentTimeMillis() - BOOT_MILLIS;
    Baton node = nodes.build(id, b -> b.task(task("tick", "")).task(task("every", "")));
    try {
      Scheduler q = node.quartz();
      storeAsSpringDoes(q, job("cron-q"), trigger("cron-q", "cron", boot));
      storeAsSpringDoes(q, job("simple-q"), trigger("simple-q", "simple", boot));
      q.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
    return node;
  }

  /** Spring's {@code SchedulerAccessor} with {@code overwrite-existing-jobs=true}. */
  private static void storeAsSpringDoes(Scheduler q, JobDetail job, Trigger trigger)
      throws SchedulerException {
    q.addJob(job, true);
    if (q.getTrigger(trigger.getKey()) != null) {
      q.rescheduleJob(trigger.getKey(), trigger);
      return;
    }
    try {
      q.scheduleJob(trigger);
    } catch (ObjectAlreadyExistsException concurrentInstance) {
      q.rescheduleJob(trigger.getKey(), trigger);
    }
  }

  private static Task task(String name, String description) {
    Task.Builder b = Task.named(name).runs(RecordingJob.class);
    b = name.startsWith("tick") ? b.cron(CRON) : b.every(Duration.ofSeconds(1));
    if (!description.isEmpty()) b.description(description);
    return b.build();
  }

  private static JobDetail job(String name) {
    return newJob(RecordingJob.class).withIdentity(name, "app").storeDurably().build();
  }

  private static Trigger trigger(String name, String kind, long start) {
    TriggerBuilder<Trigger> b =
        newTrigger().withIdentity(key(name)).forJob(name, "app").startAt(new Date(start));
    return kind.equals("cron")
        ? b.withSchedule(cronSchedule(CRON)).build()
        : b.withSchedule(simpleSchedule().withIntervalInSeconds(1).repeatForever()).build();
  }

  private static TriggerKey key(String name) {
    return TriggerKey.triggerKey(name, "app");
  }

  private static TriggerKey dslKey(String task) {
    return TriggerKey.triggerKey(task, "baton");
  }

  private void awaitFirings(List<String> names, int atLeast) {
    awaitFirings(names, Map.of(), atLeast);
  }

  private void awaitFirings(List<String> names, Map<String, Integer> before, int more) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Map<String, Integer> now = firings(names);
              return names.stream()
                  .allMatch(n -> now.getOrDefault(n, 0) >= before.getOrDefault(n, 0) + more);
            });
  }

  /** Firings recorded in the history, by trigger name. */
  private Map<String, Integer> firings(List<String> names) throws SQLException {
    Map<String, Integer> out = new TreeMap<>();
    scheduledTimes().forEach((n, t) -> out.put(n, t.size()));
    return out;
  }

  /** The history's scheduled times, by trigger name, in order. */
  private Map<String, List<Long>> scheduledTimes() throws SQLException {
    Map<String, List<Long>> out = new TreeMap<>();
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT TRIGGER_NAME, SCHEDULED_TIME FROM QRTZ_BATON_HISTORY"
                    + " WHERE SCHEDULED_TIME IS NOT NULL ORDER BY TRIGGER_NAME, SCHEDULED_TIME");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next())
        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
    }
    return out;
  }

  private long lastScheduled(String name) throws SQLException {
    List<Long> t = scheduledTimes().getOrDefault(name, List.of());
    return t.isEmpty() ? 0 : t.get(t.size() - 1);
  }

  private long next(String trigger) throws SQLException {
    return column(trigger, "NEXT_FIRE_TIME");
  }

  private long column(String trigger, String column) throws SQLException {
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + column + " FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = ?")) {
      ps.setString(1, trigger);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("trigger %s stored", trigger).isTrue();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Per trigger: no scheduled time twice, and from the first to the last each one second after the
   * one before (none skipped, none off the trigger's grid).
   */
  private void assertEveryFireTimeOnceInSequence(List<String> names) throws SQLException {
    Map<String, List<Long>> times = scheduledTimes();
    for (String n : names) {
      List<Long> t = times.get(n);
      assertThat(t).as("firings of %s", n).isNotNull().hasSizeGreaterThan(3);
      assertThat(duplicates(t)).as("fire times of %s run twice", n).isEmpty();
      List<String> gaps = new ArrayList<>();
      for (int i = 1; i < t.size(); i++) {
        long gap = t.get(i) - t.get(i - 1);
        if (gap != 1000) gaps.add(t.get(i - 1) + " -> " + t.get(i));
      }
      assertThat(gaps).as("fire times of %s not one second apart", n).isEmpty();
    }
  }

  private static List<Long> duplicates(List<Long> sorted) {
    List<Long> out = new ArrayList<>();
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).equals(sorted.get(i - 1))) out.add(sorted.get(i));
    }
    return out;
  }
}
