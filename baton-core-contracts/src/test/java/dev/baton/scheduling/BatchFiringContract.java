package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.testing.NonConcurrentJob;
import dev.baton.testing.Recorder;
import dev.baton.testing.Recorder.Execution;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acquisition, firing and completion a batch at a time ({@link TriggerBatches}): batches that mix
 * what the batched path handles (one-shots and intervals of concurrent jobs, cron) with what it
 * hands to Quartz's own path (non-concurrent jobs), on two nodes. One subclass per database.
 */
abstract class BatchFiringContract {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ONE_SHOTS = 120;

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

  @Test
  void oneShotsDueTogetherRunOnceEachBesideRecurringTasksAndLeaveNoTriggerOrEntryBehind() {
    Instant due = Instant.now().plusSeconds(2);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < ONE_SHOTS; i++) {
      tasks.add(Task.named("shot-" + i).once(due).runs(RecordingJob.class).build());
    }
    tasks.add(
        Task.named("interval").every(Duration.ofMillis(200)).runs(RecordingJob.class).build());
    tasks.add(
        Task.named("cron").cron("* * * * * ?", ZoneId.of("UTC")).runs(RecordingJob.class).build());
    tasks.add(
        Task.named("exclusive")
            .every(Duration.ofMillis(100))
            .runs(NonConcurrentJob.class)
            .data("sleepMillis", "150")
            .build());
    Baton a = nodes.start("a", b -> b.tasks(tasks));
    nodes.start("b", b -> b.tasks(tasks));

    await().atMost(WAIT).until(() -> shotsRun().size() == ONE_SHOTS);
    await()
        .atMost(WAIT)
        .until(() -> Recorder.of("cron").size() >= 3 && Recorder.of("exclusive").size() >= 5);

    // Once each, none early (fire times are stored in whole milliseconds); finished one-shots lose
    // their trigger and their fired entries.
    assertThat(shotsRun().values()).allMatch(n -> n == 1L);
    assertThat(Recorder.of("shot-7").get(0).started())
        .isAfterOrEqualTo(due.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    await()
        .atMost(WAIT)
        .until(
            () ->
                count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME LIKE 'shot-%'") == 0
                    && count(
                            "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME LIKE"
                                + " 'shot-%'")
                        == 0);
    assertThat(a.task("shot-0")).isPresent();

    // Recurring ones keep their schedule: each scheduled time once, the non-concurrent one never
    // overlapping itself although each of its firings took Quartz's own path beside the batch.
    for (String name : List.of("interval", "cron", "exclusive")) {
      List<Instant> times = Recorder.of(name).stream().map(Execution::scheduled).toList();
      assertThat(times).as(name).doesNotHaveDuplicates();
    }
    List<Execution> runs = new ArrayList<>(Recorder.of("exclusive"));
    runs.sort(Comparator.comparing(Execution::started));
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).started()).isAfterOrEqualTo(runs.get(i - 1).ended());
    }
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'")).isZero();
  }

  /**
   * A firing is committed a little ahead of its time so that its job can start on time ({@code
   * FiringLead}); the job must still never start before it, and its fire time is not before its
   * scheduled time. Intervals of different lengths spread the fire times; the non-concurrent task
   * takes Quartz's own firing path, the others the batched one.
   */
  @Test
  void firingsCommittedAheadStartTheirJobsOnTimeNeverBefore() {
    List<Task> tasks = new ArrayList<>();
    int[] intervals = {97, 131, 173, 211, 257, 307};
    for (int i = 0; i < intervals.length; i++) {
      tasks.add(
          Task.named("spread-" + i)
              .every(Duration.ofMillis(intervals[i]))
              .runs(RecordingJob.class)
              .build());
    }
    tasks.add(
        Task.named("spread-exclusive")
            .every(Duration.ofMillis(149))
            .runs(NonConcurrentJob.class)
            .build());
    nodes.start("a", b -> b.tasks(tasks));
    nodes.start("b", b -> b.tasks(tasks));

    await()
        .atMost(WAIT)
        .until(() -> tasks.stream().allMatch(t -> Recorder.of(t.name()).size() >= 8));

    for (Task t : tasks) {
      for (Execution e : Recorder.of(t.name())) {
        assertThat(e.started())
            .as("%s started", e.fireInstanceId())
            .isAfterOrEqualTo(e.scheduled());
        assertThat(e.fired())
            .as("%s fire time", e.fireInstanceId())
            .isAfterOrEqualTo(e.scheduled());
      }
    }
  }

  /**
   * A backlog of fast-lane firings fills every claim; a non-concurrent task due beside it (slow
   * lane) must get its turn within about a second, not after the backlog drains.
   */
  @Test
  void aBacklogOfFastLaneFiringsDoesNotStarveANonConcurrentTaskDueBesideIt() {
    int backlog = 600;
    Instant due = Instant.now().plusSeconds(1);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < backlog; i++) {
      tasks.add(
          Task.named("flood-" + i)
              .once(due)
              .runs(RecordingJob.class)
              .data("sleepMillis", "20")
              .build());
    }
    tasks.add(Task.named("exclusive").once(due).runs(NonConcurrentJob.class).build());
    Baton a = nodes.start("a", b -> b.threads(2));
    a.register(tasks);

    await().atMost(WAIT).until(() -> Recorder.of("exclusive").size() == 1);
    Instant exclusiveStarted = Recorder.of("exclusive").get(0).started();
    long floodBefore =
        tasks.stream()
            .filter(t -> t.name().startsWith("flood-"))
            .flatMap(t -> Recorder.startedOf(t.name()).stream())
            .filter(e -> e.started().isBefore(exclusiveStarted))
            .count();
    // 2 workers at 20 ms a firing drain the backlog in 6 s; the non-concurrent task's turn comes
    // within about a second (a node looks past a backlog once a second), not at its end.
    assertThat(floodBefore)
        .as("flood firings started before the non-concurrent one")
        .isLessThan(backlog / 2);
    await()
        .atMost(WAIT)
        .until(() -> tasks.stream().allMatch(t -> Recorder.of(t.name()).size() == 1));
  }

  @Test
  void aOneShotRescheduledWhileItRunsKeepsItsTriggerAndRunsAgain() {
    Task first =
        Task.named("again")
            .once(Instant.now().plusMillis(300))
            .runs(RecordingJob.class)
            .data("sleepMillis", "1500")
            .build();
    Baton a = nodes.start("a", b -> b.task(first));
    await().atMost(WAIT).until(() -> Recorder.startedOf("again").size() == 1);

    // Rescheduled while the first run is still going: its completion must not delete the trigger.
    Instant second = Instant.now().plusSeconds(3);
    a.register(
        Task.named("again")
            .once(second)
            .runs(RecordingJob.class)
            .data("sleepMillis", "1500")
            .build());

    await().atMost(WAIT).until(() -> Recorder.of("again").size() == 2);
    assertThat(Recorder.of("again").get(1).scheduled())
        .isEqualTo(second.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  @Test
  void aFiringQueuedBehindLongJobsGoesBackToTheClusterAndRunsOnceOnAnotherNode() throws Exception {
    Baton a = nodes.start("a", b -> b.threads(2));
    // Short jobs first: a node claims ahead of its free workers only while its jobs are short.
    Instant now = Instant.now();
    List<Task> warm = new ArrayList<>();
    for (int i = 0; i < 12; i++)
      warm.add(Task.named("warm-" + i).once(now).runs(RecordingJob.class).build());
    a.register(warm);
    await()
        .atMost(WAIT)
        .until(() -> warm.stream().allMatch(t -> Recorder.of(t.name()).size() == 1));

    // Two long jobs take both workers; the third firing of the same claim waits in the queue.
    java.util.Date due = java.util.Date.from(Instant.now().plusMillis(1500));
    org.quartz.Scheduler quartz = a.quartz();
    for (String name : List.of("long-1", "long-2", "behind")) {
      boolean isLong = name.startsWith("long");
      quartz.scheduleJob(
          org.quartz.JobBuilder.newJob(RecordingJob.class)
              .withIdentity(name)
              .usingJobData("sleepMillis", isLong ? "8000" : "0")
              .build(),
          org.quartz.TriggerBuilder.newTrigger()
              .withIdentity(name)
              .startAt(due)
              .withPriority(isLong ? 10 : 1)
              .build());
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                Recorder.startedOf("long-1").size() == 1
                    && Recorder.startedOf("long-2").size() == 1);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                count(
                        "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME = 'behind' AND"
                            + " INSTANCE_NAME = 'a' AND STATE = 'EXECUTING'")
                    == 1);
    assertThat(Recorder.startedOf("behind")).as("queued on a, not started").isEmpty();

    nodes.start("b", b -> b);

    // Handed back after a second without a worker (a looks at least every idle wait, 0.5 s), then
    // run by b (also within its idle wait) while a's long jobs still run.
    await().atMost(Duration.ofSeconds(5)).until(() -> Recorder.of("behind").size() == 1);
    assertThat(Recorder.of("behind").get(0).node()).isEqualTo("b");
    assertThat(Recorder.of("long-1")).as("a's long jobs still running").isEmpty();
    await()
        .atMost(WAIT)
        .until(() -> Recorder.of("long-1").size() == 1 && Recorder.of("long-2").size() == 1);
    assertThat(Recorder.startedOf("behind")).as("run once").hasSize(1);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME = 'behind'"))
        .isZero();
  }

  private static Map<String, Long> shotsRun() {
    List<Execution> all = new ArrayList<>();
    for (int i = 0; i < ONE_SHOTS; i++) all.addAll(Recorder.of("shot-" + i));
    return all.stream().collect(Collectors.groupingBy(Execution::task, Collectors.counting()));
  }

  private long count(String sql) {
    return TestDatabase.count(probe, sql);
  }
}
