package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import dev.baton.Baton;
import dev.baton.history.Execution;
import dev.baton.history.HistoryQuery;
import dev.baton.history.Outcome;
import dev.baton.internal.store.ConcurrencyLimit;
import dev.baton.testing.NonConcurrentJob;
import dev.baton.testing.Recorder;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;

/**
 * {@code maxConcurrent(n)}: at most n executions of a task at once, cluster-wide, read from the
 * history in the database; firings over the limit wait instead of being dropped. One small subclass
 * per database.
 */
abstract class ConcurrencyLimitContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestDatabase db;
  private TestNodes nodes;

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

  @Test
  void nodesTogetherNeverRunMoreThanTheLimitAtOnceAndReachIt() {
    // Four nodes of one worker each: room for four at once, so the limit of three is what binds,
    // and it binds across nodes, since no node can run two.
    Task busy =
        Task.named("busy")
            .every(Duration.ofMillis(100))
            .runs(RecordingJob.class)
            .data("sleepMillis", "1200")
            .maxConcurrent(3)
            .build();
    Baton a = nodes.start("a", b -> b.threads(1).task(busy));
    for (String id : List.of("b", "c", "d")) nodes.start(id, b -> b.threads(1).task(busy));

    await().atMost(WAIT).until(() -> finished(a, "busy").size() >= 12);
    List<Execution> runs = finished(a, "busy");
    assertThat(maxOverlap(runs)).as("executions at once").isEqualTo(3);
    TaskInfo info = a.task("busy").orElseThrow();
    assertThat(info.maxConcurrent()).isEqualTo(3);
    assertThat(info.nonConcurrent()).as("stored as non-concurrent for older readers").isTrue();
    assertThat(info.runningOn().size()).isLessThanOrEqualTo(3);
  }

  @Test
  void aLimitOfOneBehavesAsDisallowConcurrentExecution() {
    Task single =
        Task.named("single")
            .every(Duration.ofMillis(100))
            .runs(RecordingJob.class)
            .data("sleepMillis", "300")
            .maxConcurrent(1)
            .build();
    Baton a = nodes.start("a", b -> b.task(single));
    nodes.start("b", b -> b.task(single));
    await().atMost(WAIT).until(() -> finished(a, "single").size() >= 6);
    assertThat(maxOverlap(finished(a, "single"))).isEqualTo(1);
  }

  @Test
  void firingsOverTheLimitWaitAndAllRun() {
    // Five one-shots due at once, a limit of two: they run two at a time, none is dropped.
    Baton a = nodes.start("a", b -> b.threads(8));
    Scheduler q = a.quartz();
    JobDetail job =
        newJob(RecordingJob.class)
            .withIdentity("batch", "app")
            .storeDurably()
            .usingJobData("sleepMillis", "500")
            .usingJobData(ConcurrencyLimit.KEY, "2")
            .build();
    try {
      q.addJob(job, false);
      Instant at = Instant.now().plusMillis(300);
      for (int i = 0; i < 5; i++) {
        q.scheduleJob(
            newTrigger()
                .withIdentity("t" + i, "app")
                .forJob(job)
                .startAt(java.util.Date.from(at))
                .withSchedule(
                    SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build());
      }
    } catch (org.quartz.SchedulerException e) {
      throw new AssertionError(e);
    }
    await().atMost(WAIT).until(() -> finished(a, "batch").size() == 5);
    assertThat(maxOverlap(finished(a, "batch"))).isEqualTo(2);
  }

  @Test
  void badLimitsAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
    assertThatThrownBy(
            () ->
                Task.named("zero")
                    .every(Duration.ofSeconds(1))
                    .runs(RecordingJob.class)
                    .maxConcurrent(0)
                    .build())
        .isInstanceOfSatisfying(
            InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("maxConcurrent"));
    Baton a = nodes.start("a", b -> b);
    Task contradictory =
        Task.named("both")
            .every(Duration.ofSeconds(1))
            .runs(NonConcurrentJob.class)
            .maxConcurrent(2)
            .build();
    assertThatThrownBy(() -> a.register(contradictory))
        .isInstanceOfSatisfying(
            InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("maxConcurrent"))
        .hasMessageContaining("@DisallowConcurrentExecution");
    assertThat(a.task("both")).isEmpty();

    JobDetail bad =
        newJob(RecordingJob.class)
            .withIdentity("bad", "app")
            .usingJobData(ConcurrencyLimit.KEY, "many")
            .build();
    assertThatThrownBy(
            () ->
                a.quartz()
                    .scheduleJob(bad, newTrigger().withIdentity("bad", "app").startNow().build()))
        .hasMessageContaining("app.bad")
        .hasMessageContaining(ConcurrencyLimit.KEY);
    assertThat(a.quartz().checkExists(bad.getKey())).isFalse();

    for (String value : new String[] {"0", "-1"}) {
      JobDetail nonPositive =
          newJob(RecordingJob.class)
              .withIdentity("nonpositive", "app")
              .usingJobData(ConcurrencyLimit.KEY, value)
              .build();
      assertThatThrownBy(
              () ->
                  a.quartz()
                      .scheduleJob(
                          nonPositive,
                          newTrigger().withIdentity("nonpositive", "app").startNow().build()))
          .hasMessageContaining("app.nonpositive")
          .hasMessageContaining(ConcurrencyLimit.KEY)
          .hasMessageContaining("'" + value + "'");
      assertThat(a.quartz().checkExists(nonPositive.getKey())).isFalse();
    }
    // Through the Quartz API too, a limit above one contradicts the annotation.
    JobDetail both =
        newJob(NonConcurrentJob.class)
            .withIdentity("both", "app")
            .usingJobData(ConcurrencyLimit.KEY, "2")
            .build();
    assertThatThrownBy(
            () ->
                a.quartz()
                    .scheduleJob(both, newTrigger().withIdentity("both", "app").startNow().build()))
        .hasMessageContaining("app.both")
        .hasMessageContaining("@DisallowConcurrentExecution");
    assertThat(a.quartz().checkExists(both.getKey())).isFalse();
  }

  /** The most executions that ran at the same moment; touching intervals do not overlap. */
  static int maxOverlap(List<Execution> runs) {
    List<long[]> events = new ArrayList<>();
    for (Execution e : runs) {
      events.add(new long[] {e.startedAt().toEpochMilli(), 1});
      events.add(new long[] {e.endedAt().toEpochMilli(), -1});
    }
    events.sort(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
    int now = 0;
    int max = 0;
    for (long[] ev : events) {
      now += (int) ev[1];
      max = Math.max(max, now);
    }
    return max;
  }

  private static List<Execution> finished(Baton node, String task) {
    return node.history()
        .query(HistoryQuery.all().task(task).outcomes(Outcome.SUCCEEDED).limit(1000))
        .entries();
  }
}
