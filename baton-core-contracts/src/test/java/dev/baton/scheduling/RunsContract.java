package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.history.HistoryQuery;
import dev.baton.testing.NonConcurrentJob;
import dev.baton.testing.Recorder;
import dev.baton.testing.Recorder.Execution;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs of a task ({@link Run}, {@code BatonClient.submit}): many firings of one task definition,
 * each with its own data, stored as triggers of the task's one job. One subclass per database.
 */
abstract class RunsContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** More than one registration chunk (1,000), so that chunking and its up-front check count. */
  private static final int RUNS = 1_500;

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
  void runsOfAnOnDemandTaskFireOnceEachWithTheirOwnDataAndCostNoJobRow() {
    // 10 ms a run: longer than node b's idle wait takes to notice them, so both nodes take part.
    Task mail =
        Task.named("mail")
            .onDemand()
            .runs(RecordingJob.class)
            .data("from", "shop")
            .data("sleepMillis", "10")
            .build();
    Baton a = nodes.start("a", b -> b.task(mail));
    nodes.start("b", b -> b.task(mail));
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'mail'")).isZero();
    assertThat(a.task("mail")).get().extracting(TaskInfo::schedule).isEqualTo("on-demand");

    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runs.add(Run.of("mail").id("order-" + i).data("order", Integer.toString(i)).build());
    }
    runs.add(Run.of("mail").id("order-7").data("order", "again").build());
    List<Registration> results = a.submit(runs);

    assertThat(results).hasSize(RUNS + 1);
    assertThat(results.subList(0, RUNS)).containsOnly(Registration.CREATED);
    assertThat(results.get(RUNS)).isEqualTo(Registration.UNCHANGED);
    await().atMost(WAIT).until(() -> Recorder.of("mail").size() >= RUNS);

    // Once each, cluster-wide, each with its own data merged over the task's.
    Map<String, Long> byOrder =
        Recorder.of("mail").stream()
            .collect(Collectors.groupingBy(e -> e.data().get("order"), Collectors.counting()));
    assertThat(byOrder).hasSize(RUNS).doesNotContainKey("again");
    assertThat(byOrder.values()).containsOnly(1L);
    assertThat(Recorder.of("mail")).allMatch(e -> "shop".equals(e.data().get("from")));
    assertThat(Recorder.of("mail").stream().map(Execution::node).distinct()).hasSize(2);
    // Fired runs leave no trigger and no execution entry; the one job row stays.
    await()
        .atMost(WAIT)
        .until(
            () ->
                count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'mail'") == 0
                    && count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'mail'")
                        == 0);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS")).isEqualTo(1 + batonTasks());
    // History names each run by its trigger, task#id.
    HistoryQuery ofMail = HistoryQuery.all().task("mail").limit(10);
    await().atMost(WAIT).until(() -> a.history().query(ofMail).entries().size() == 10);
    assertThat(a.history().query(ofMail).entries())
        .allMatch(e -> e.trigger().startsWith("mail#order-"));
    assertThat(a.history().duplicates()).isEmpty();
  }

  @Test
  void aPendingIdIsKeptAndAnUnknownTaskStoresNothing() {
    Task mail = Task.named("mail").onDemand().runs(RecordingJob.class).build();
    Baton a = nodes.start("a", b -> b.task(mail));
    Instant later = Instant.now().plus(Duration.ofHours(1));

    Run first = Run.of("mail").id("later").at(later).data("n", "1").build();
    assertThat(a.submit(first)).isEqualTo(Registration.CREATED);
    Run changed = Run.of("mail").id("later").at(later.plusSeconds(60)).data("n", "2").build();
    assertThat(a.submit(changed)).isEqualTo(Registration.UNCHANGED);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'mail#later'"))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'mail#later'"
                    + " AND NEXT_FIRE_TIME = "
                    + later.toEpochMilli()))
        .isEqualTo(1);

    // Pending runs are counted with their task, not listed among its triggers.
    TaskInfo listed = a.task("mail").orElseThrow();
    assertThat(listed.pendingRuns()).isEqualTo(1);
    assertThat(listed.triggers()).isEmpty();

    // In one chunk, and in several: the unknown task is found before anything is written.
    List<Run> one = List.of(Run.of("mail").id("x").build(), Run.of("nope").id("y").build());
    assertThatThrownBy(() -> a.submit(one))
        .isInstanceOf(UnknownTaskException.class)
        .hasMessageContaining("nope");
    List<Run> many = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) many.add(Run.of("mail").id("m" + i).at(later).build());
    many.add(Run.of("nope").build());
    assertThatThrownBy(() -> a.submit(many)).isInstanceOf(UnknownTaskException.class);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'mail'")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'nope'")).isZero();

    // Unscheduling the task takes its pending runs with it.
    assertThat(a.unschedule("mail")).isTrue();
    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'mail'")).isZero();
  }

  @Test
  void runsOfAPausedTaskWaitAndANonConcurrentTasksRunsNeverOverlap() {
    Task report = Task.named("report").every(Duration.ofHours(1)).runs(RecordingJob.class).build();
    Task exclusive =
        Task.named("exclusive")
            .onDemand()
            .runs(NonConcurrentJob.class)
            .data("sleepMillis", "100")
            .build();
    Baton a = nodes.start("a", b -> b.tasks(List.of(report, exclusive)));
    nodes.start("b", b -> b.tasks(List.of(report, exclusive)));
    await().atMost(WAIT).until(() -> Recorder.of("report").size() == 1);

    a.pause("report");
    a.submit(Run.of("report").id("extra").build());
    List<Run> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) five.add(Run.of("exclusive").build());
    a.submit(five);
    await().atMost(WAIT).until(() -> Recorder.of("exclusive").size() == 5);
    // The paused task's run waited while the five ran; it runs once resumed.
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'report#extra'"
                    + " AND TRIGGER_STATE = 'PAUSED'"))
        .isEqualTo(1);
    assertThat(Recorder.of("report")).hasSize(1);
    a.resume("report");
    await().atMost(WAIT).until(() -> Recorder.of("report").size() == 2);

    // Under "pause all" a run is stored paused too, as Quartz stores any trigger then.
    a.pauseAll();
    a.submit(Run.of("exclusive").id("paused-all").build());
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'exclusive#paused-all'"
                    + " AND TRIGGER_STATE = 'PAUSED'"))
        .isEqualTo(1);
    a.resumeAll();
    await().atMost(WAIT).until(() -> Recorder.of("exclusive").size() == 6);

    List<Execution> runs = new ArrayList<>(Recorder.of("exclusive"));
    runs.sort(Comparator.comparing(Execution::started));
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).started()).isAfterOrEqualTo(runs.get(i - 1).ended());
    }
  }

  @Test
  void aTaskTurnedOnDemandLosesItsOwnTriggerAndKeepsItsRuns() {
    Instant later = Instant.now().plus(Duration.ofHours(1));
    Task scheduled = Task.named("t").once(later).runs(RecordingJob.class).build();
    Baton a = nodes.start("a", b -> b.task(scheduled));
    a.submit(Run.of("t").id("r1").at(later).build());
    Function<String, Long> trigger =
        name -> count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = '" + name + "'");
    assertThat(trigger.apply("t")).isEqualTo(1);

    Task onDemand = Task.named("t").onDemand().runs(RecordingJob.class).build();
    assertThat(a.register(onDemand)).isEqualTo(Registration.UPDATED);
    assertThat(trigger.apply("t")).isZero();
    assertThat(trigger.apply("t#r1")).isEqualTo(1);
    assertThat(a.register(onDemand)).isEqualTo(Registration.UNCHANGED);

    assertThat(a.register(scheduled)).isEqualTo(Registration.UPDATED);
    assertThat(trigger.apply("t")).isEqualTo(1);
    assertThat(trigger.apply("t#r1")).isEqualTo(1);
  }

  private long batonTasks() {
    return count("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE JOB_NAME LIKE 'baton.%'");
  }

  private long count(String sql) {
    return TestDatabase.count(probe, sql);
  }
}
