package dev.baton.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.history.HistoryJobs.BrokenConstructorJob;
import dev.baton.history.HistoryJobs.ChattyJob;
import dev.baton.history.HistoryJobs.FailingJob;
import dev.baton.history.HistoryJobs.GatedJob;
import dev.baton.internal.history.Bounded;
import dev.baton.internal.history.HistoryCleanupJob;
import dev.baton.internal.history.HistoryRetention;
import dev.baton.internal.history.HistorySql;
import dev.baton.internal.history.HistoryWriter;
import dev.baton.internal.history.Row;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.Task;
import dev.baton.testing.Recorder;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;

/**
 * The execution history every supported database must keep, with real nodes (each its own Quartz
 * scheduler and pool) on one real database. One small subclass per database.
 */
abstract class HistoryContract {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String FAR_FUTURE = "0 0 0 1 1 ? 2099";

  /** How far this JVM's clock and a node's estimate of the database's may differ in a test. */
  private static final Duration CLOCK_AGREEMENT = Duration.ofMillis(5);

  protected TestDatabase db;
  private TestNodes nodes;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    GatedJob.GATES.clear();
    GatedJob.SCHEDULERS.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    GatedJob.GATES.values().forEach(CountDownLatch::countDown);
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
  void aSucceededExecutionProducesExactlyItsEntry() {
    Instant at = Instant.now().plusMillis(300);
    Baton a = node("a");
    a.register(Task.named("ok").once(at).runs(RecordingJob.class).build());

    List<Execution> entries = awaitEntries(a, "ok", 1, Outcome.SUCCEEDED);

    Recorder.Execution ran = Recorder.of("ok").get(0);
    Execution e = entries.get(0);
    assertThat(e.id()).isEqualTo(ran.fireInstanceId());
    assertThat(e.task()).isEqualTo("ok");
    assertThat(e.taskGroup()).isEqualTo("baton");
    assertThat(e.trigger()).isEqualTo("ok");
    assertThat(e.triggerGroup()).isEqualTo("baton");
    assertThat(e.scheduledFireTime()).isEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
    // The history's times are on the database's clock, the job's on this JVM's: on one machine
    // they agree to within the node's estimate of the offset (half a round trip, whole millis).
    assertThat(e.startedAt())
        .isAfterOrEqualTo(e.scheduledFireTime())
        .isBeforeOrEqualTo(ran.started().plus(CLOCK_AGREEMENT));
    assertThat(e.endedAt())
        .isAfterOrEqualTo(ran.ended().truncatedTo(ChronoUnit.MILLIS).minus(CLOCK_AGREEMENT));
    assertThat(e.duration()).isEqualTo(Duration.between(e.startedAt(), e.endedAt()));
    assertThat(e.node()).isEqualTo("a");
    assertThat(e.refireCount()).isZero();
    assertThat(e.recovery()).isFalse();
    assertThat(e.fencingToken()).as("every execution's token, lock or not").isPositive();
    assertThat(e.errorClass()).isNull();
    assertThat(e.message()).isNull();
    assertThat(e.stackTrace()).isNull();
    assertThat(e.details()).isEmpty();
    assertThat(e.log()).isNull();
    assertThat(a.history().find(e.id())).contains(e);
  }

  @Test
  void aFailedExecutionRecordsTheExceptionWithATrimmedStackTrace() {
    Baton a = node("a");
    a.register(
        Task.named("fails")
            .once(Instant.now())
            .runs(FailingJob.class)
            .data("depth", "400")
            .build());

    Execution e = awaitEntries(a, "fails", 1, Outcome.FAILED).get(0);

    assertThat(e.errorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(e.message()).isEqualTo("boom: disk full");
    assertThat(e.stackTrace())
        .startsWith("java.lang.IllegalStateException: boom: disk full")
        .contains("HistoryJobs$FailingJob.dive")
        .matches("(?s).*… \\[truncated \\d+ chars\\]$");
    assertThat(e.stackTrace().length())
        .isLessThanOrEqualTo(Bounded.MAX_STACK_TRACE + Bounded.marker(Long.MAX_VALUE).length());
    assertThat(e.endedAt()).isNotNull();
  }

  @Test
  void aFiringWhoseJobCannotBeCreatedIsRecordedAsSkipped() {
    Baton a = node("a");
    a.register(Task.named("broken").once(Instant.now()).runs(BrokenConstructorJob.class).build());

    Execution e = awaitEntries(a, "broken", 1, Outcome.SKIPPED).get(0);

    assertThat(e.node()).isEqualTo("a");
    assertThat(e.message())
        .contains(BrokenConstructorJob.class.getName())
        .contains("node a")
        .contains("no licence on this node");
    assertThat(e.errorClass()).isNull();
    assertThat(a.history().duplicates()).isEmpty();
  }

  @Test
  void aNodeThatDiesMidRunLeavesAnAbandonedEntryAndTheRecoveryRunIsFlagged() throws Exception {
    GatedJob.GATES.put("long", new CountDownLatch(1));
    Baton doomed = node("doomed");
    doomed.register(
        Task.named("long")
            .once(Instant.now())
            .runs(GatedJob.class)
            .data("blockOn", "doomed")
            .recoverable()
            .build());
    Execution running = awaitEntries(doomed, "long", 1, Outcome.RUNNING).get(0);
    Baton heir = node("heir");

    // The node's scheduler stops dead: no more check-ins, no clean leave, its job still blocked.
    GatedJob.SCHEDULERS.get("doomed").shutdown(false);

    await()
        .atMost(WAIT)
        .until(
            () ->
                entries(heir, "long").size() == 2
                    && entries(heir, "long").stream()
                        .noneMatch(e -> e.outcome() == Outcome.RUNNING));
    Execution abandoned = heir.history().find(running.id()).orElseThrow();
    assertThat(abandoned.outcome()).isEqualTo(Outcome.ABANDONED);
    assertThat(abandoned.node()).isEqualTo("doomed");
    assertThat(abandoned.recovery()).isFalse();
    assertThat(abandoned.endedAt()).isNull();
    Execution rerun =
        entries(heir, "long").stream()
            .filter(e -> !e.id().equals(running.id()))
            .findFirst()
            .orElseThrow();
    assertThat(rerun.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rerun.node()).isEqualTo("heir");
    assertThat(rerun.recovery()).isTrue();
    assertThat(rerun.firingKey()).isEqualTo(abandoned.firingKey());
    assertThat(heir.history().duplicates())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.task()).isEqualTo("long");
              assertThat(d.scheduledFireTime()).isEqualTo(abandoned.scheduledFireTime());
              assertThat(d.executions()).isEqualTo(2);
              assertThat(d.recoveryRuns()).isEqualTo(1);
              assertThat(d.unexplained()).isFalse();
            });
  }

  @Test
  void vetoReasonAndFencingTokenAreReadFromTheLockContract() throws Exception {
    Baton a = node("a");
    a.quartz().getListenerManager().addTriggerListener(new FakeLock());
    a.register(Task.named("busy").once(Instant.now()).runs(RecordingJob.class).build());
    a.register(Task.named("fenced").once(Instant.now()).runs(RecordingJob.class).build());

    Execution vetoed = awaitEntries(a, "busy", 1, Outcome.VETOED).get(0);
    Execution fenced = awaitEntries(a, "fenced", 1, Outcome.SUCCEEDED).get(0);

    assertThat(Recorder.of("busy")).isEmpty();
    assertThat(vetoed.message()).isEqualTo("lock 'busy' is held by node elsewhere");
    // A vetoed firing was fired: it keeps the execution token it was given then.
    assertThat(vetoed.fencingToken()).isPositive();
    assertThat(vetoed.startedAt()).isEqualTo(vetoed.endedAt());
    assertThat(fenced.fencingToken()).isEqualTo(42L);
  }

  /** Stands in for the cluster-lock code: the context keys it sets are the contract. */
  static final class FakeLock extends TriggerListenerSupport {
    @Override
    public String getName() {
      return "fake-lock";
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext ctx) {
      String task = trigger.getJobKey().getName();
      if (task.equals("busy")) {
        ctx.put("baton.vetoReason", "lock 'busy' is held by node elsewhere");
        return true;
      }
      if (task.equals("fenced")) ctx.put("baton.fencingToken", 42L);
      return false;
    }
  }

  @Test
  void entriesSurviveACleanShutdownRightAfterFirings() {
    Baton a =
        node(
            "a",
            b ->
                b.task(
                    Task.named("fast")
                        .every(Duration.ofMillis(50))
                        .runs(RecordingJob.class)
                        .build()));
    await().atMost(WAIT).until(() -> Recorder.of("fast").size() >= 10);
    // Ends during the drain, just before the scheduler stops: only close() can have written it.
    a.register(
        Task.named("slow")
            .once(Instant.now())
            .runs(RecordingJob.class)
            .data("sleepMillis", "800")
            .build());
    await().atMost(WAIT).until(() -> Recorder.startedOf("slow").size() == 1);

    a.close();

    assertThat(entries(a, "slow"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.SUCCEEDED);
              assertThat(e.id()).isEqualTo(Recorder.of("slow").get(0).fireInstanceId());
            });

    Map<String, Instant> ran =
        Recorder.of("fast").stream()
            .collect(
                Collectors.toMap(
                    Recorder.Execution::fireInstanceId, Recorder.Execution::scheduled));
    List<Execution> recorded = entries(a, "fast");
    assertThat(recorded).extracting(Execution::outcome).containsOnly(Outcome.SUCCEEDED);
    assertThat(
            recorded.stream()
                .collect(Collectors.toMap(Execution::id, Execution::scheduledFireTime)))
        .isEqualTo(ran);
  }

  @Test
  void anExecutionOutlivingTheDrainTimeoutIsWrittenWhenItEnds() {
    GatedJob.GATES.put("outlives", new CountDownLatch(1));
    Baton a = node("a", b -> b.drainTimeout(Duration.ofMillis(200)));
    a.register(
        Task.named("outlives")
            .once(Instant.now())
            .runs(GatedJob.class)
            .data("blockOn", "a")
            .build());
    awaitEntries(a, "outlives", 1, Outcome.RUNNING);

    a.close(); // returns at the drain deadline, the job still blocked

    GatedJob.GATES.get("outlives").countDown();
    awaitEntries(a, "outlives", 1, Outcome.SUCCEEDED);
  }

  @Test
  void twoNodesOnOneDatabaseWriteExactlyOneEntryPerFiring() {
    Task tick =
        Task.named("tick").cron("* * * * * ?", ZoneId.of("UTC")).runs(RecordingJob.class).build();
    Baton a = node("a", b -> b.task(tick));
    Baton b = node("b", o -> o.task(tick));
    await().atMost(WAIT).until(() -> Recorder.of("tick").size() >= 6);

    b.close();
    a.close();

    List<Execution> recorded = entries(a, "tick");
    assertThat(recorded)
        .extracting(Execution::id)
        .containsExactlyInAnyOrderElementsOf(
            Recorder.of("tick").stream().map(Recorder.Execution::fireInstanceId).toList());
    assertThat(recorded).extracting(Execution::outcome).containsOnly(Outcome.SUCCEEDED);
    List<Instant> due = recorded.stream().map(Execution::scheduledFireTime).sorted().toList();
    assertThat(due).doesNotHaveDuplicates();
    assertThat(Duration.between(due.get(0), due.get(due.size() - 1)).toSeconds())
        .isEqualTo(due.size() - 1);
    assertThat(a.history().duplicates()).isEmpty();
  }

  @Test
  void attachedDetailsAndLinesAreBoundedAndSaySoWhenTruncated() {
    Baton a = node("a");
    a.register(
        Task.named("chatty")
            .once(Instant.now())
            .runs(ChattyJob.class)
            .data("lines", "1000")
            .build());

    Execution e = awaitEntries(a, "chatty", 1, Outcome.SUCCEEDED).get(0);

    assertThat(e.details())
        .containsExactly(Map.entry("k", "v"), Map.entry("multi\nline key=", "a=b\nc"));
    int detailChars = "kv".length() + "multi\nline key=".length() + "a=b\nc".length();
    long offered = detailChars + 1000L * 40;
    String marker = "… [truncated " + (offered - ExecutionLog.MAX_CHARS) + " chars]";
    assertThat(e.log()).startsWith("line 00000 ").endsWith("\n" + marker);
    String kept = e.log().substring(0, e.log().length() - marker.length() - 1).replace("\n", "");
    assertThat(kept).hasSize(ExecutionLog.MAX_CHARS - detailChars);
  }

  @Test
  void queriesFilterByTaskOutcomeNodeAndTimeNewestFirstInPages() {
    Baton a = node("a");
    a.register(Task.named("q-ok").cron(FAR_FUTURE).runs(RecordingJob.class).build());
    a.register(Task.named("q-fail").cron(FAR_FUTURE).runs(FailingJob.class).build());
    for (int i = 0; i < 3; i++) {
      a.triggerNow("q-ok");
      a.triggerNow("q-fail");
    }
    await().atMost(WAIT).until(() -> finished(a).size() == 6);
    a.close();
    Baton b = node("b");
    for (int i = 0; i < 2; i++) b.triggerNow("q-ok");
    await().atMost(WAIT).until(() -> finished(b).size() == 8);

    List<Execution> all = new ArrayList<>();
    HistoryQuery q = HistoryQuery.all().limit(3);
    HistoryPage page = b.history().query(q);
    all.addAll(page.entries());
    while (page.nextCursor().isPresent()) {
      assertThat(page.entries()).hasSize(3);
      page = b.history().query(q.before(page.nextCursor().get()));
      all.addAll(page.entries());
    }
    assertThat(all).hasSize(8).extracting(Execution::id).doesNotHaveDuplicates();
    assertThat(all)
        .isSortedAccordingTo(
            Comparator.comparing(Execution::startedAt).thenComparing(Execution::id).reversed());

    assertThat(query(b, HistoryQuery.all().task("q-fail")))
        .isEqualTo(only(all, e -> e.task().equals("q-fail")))
        .hasSize(3);
    assertThat(query(b, HistoryQuery.all().outcomes(Outcome.SUCCEEDED)))
        .isEqualTo(only(all, e -> e.outcome() == Outcome.SUCCEEDED))
        .hasSize(5);
    assertThat(query(b, HistoryQuery.all().node("b")))
        .isEqualTo(only(all, e -> e.node().equals("b")))
        .hasSize(2);
    assertThat(
            query(
                b,
                HistoryQuery.all()
                    .task("q-ok")
                    .node("a")
                    .outcomes(Outcome.SUCCEEDED, Outcome.FAILED)))
        .hasSize(3);
    Instant middle = all.get(3).startedAt();
    assertThat(query(b, HistoryQuery.all().since(middle)))
        .isEqualTo(only(all, e -> !e.startedAt().isBefore(middle)));
    assertThat(query(b, HistoryQuery.all().until(middle)))
        .isEqualTo(only(all, e -> e.startedAt().isBefore(middle)));
    assertThat(b.history().find("no-such-id")).isEmpty();

    assertThatThrownBy(() -> HistoryQuery.all().limit(0))
        .isInstanceOf(InvalidHistoryQueryException.class)
        .hasMessageContaining("'limit' = 0");
    assertThatThrownBy(() -> HistoryQuery.all().limit(1001)).hasMessageContaining("give 1 to 1000");
    assertThatThrownBy(() -> HistoryQuery.all().before("garbage")).hasMessageContaining("'before'");
    assertThatThrownBy(() -> HistoryQuery.all().since(middle).until(middle))
        .hasMessageContaining("before 'until'");
  }

  @Test
  void theCleanUpTaskDeletesOldFinishedEntriesAndNothingElse() throws Exception {
    Baton a = node("a");
    assertThat(a.task(HistoryCleanupJob.TASK))
        .hasValueSatisfying(t -> assertThat(t.nonConcurrent()).isTrue());
    assertThat(a.tasks()).extracting(t -> t.name()).doesNotContain(HistoryCleanupJob.TASK);
    assertThatThrownBy(
            () -> Task.named("baton.mine").cron(FAR_FUTURE).runs(RecordingJob.class).build())
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("reserved");
    List<String> old = makeOld(a, 4, 2);

    a.triggerNow(HistoryCleanupJob.TASK);

    Execution cleanUp = awaitEntries(a, HistoryCleanupJob.TASK, 1, Outcome.SUCCEEDED).get(0);
    assertThat(cleanUp.details())
        .containsEntry("deletedByAge", "2")
        .containsEntry("deletedByRows", "0");
    List<Execution> left = entries(a, "work");
    assertThat(left).extracting(Execution::id).doesNotContainAnyElementsOf(old).hasSize(2);
    assertThat(entries(a, "held"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.RUNNING);
              assertThat(e.startedAt()).isBefore(Instant.now().minus(Duration.ofDays(39)));
            });
  }

  @Test
  void rowLimitKeepsTheNewestFinishedEntriesAndNeverRunningOnes() throws Exception {
    Baton a = node("a");
    makeOld(a, 6, 0);
    List<String> newest =
        query(a, HistoryQuery.all().task("work")).stream().limit(3).map(Execution::id).toList();
    HistoryRetention retention =
        new HistoryRetention(db.pool(1), new HistorySql("QRTZ_"), "baton", Duration.ofDays(30), 3);

    HistoryRetention.Result r = retention.cleanUp(System.currentTimeMillis());

    assertThat(r).isEqualTo(new HistoryRetention.Result(0, 3));
    assertThat(entries(a, "work")).extracting(Execution::id).containsExactlyElementsOf(newest);
    assertThat(entries(a, "held")).extracting(Execution::outcome).containsExactly(Outcome.RUNNING);
    assertThat(retention.cleanUp(System.currentTimeMillis()))
        .isEqualTo(new HistoryRetention.Result(0, 0));
  }

  @Test
  void anEndWhoseStartWasNeverWrittenIsInsertedWhole() {
    Baton a = node("a");
    HistoryWriter writer = new HistoryWriter(db.pool(2), new HistorySql("QRTZ_"), "baton", "w");
    Row ended =
        new Row(
            "lost-start-1",
            "orphan",
            "baton",
            "orphan",
            "baton",
            1_000L,
            2_000L,
            2_500L,
            "w",
            Outcome.SUCCEEDED,
            0,
            false,
            7L,
            null,
            null,
            null,
            null,
            null);

    writer.finished(ended);
    writer.close(10_000);

    Execution e = a.history().find("lost-start-1").orElseThrow();
    assertThat(e.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(e.startedAt()).isEqualTo(Instant.ofEpochMilli(2_000));
    assertThat(e.duration()).isEqualTo(Duration.ofMillis(500));
    assertThat(e.fencingToken()).isEqualTo(7L);
    assertThat(writer.dropped()).isZero();
  }

  @Test
  void activityCountsExecutionsPerNodeBucketAndOutcomeInOneQuery() {
    Baton a = node("a");
    HistoryWriter writer = new HistoryWriter(db.pool(2), new HistorySql("QRTZ_"), "baton", "w");
    long base = 1_000_000L;
    writer.finished(row("x1", base + 100, "n1", Outcome.SUCCEEDED));
    writer.finished(row("x2", base + 9_999, "n1", Outcome.SUCCEEDED));
    writer.finished(row("x3", base + 5_000, "n1", Outcome.FAILED));
    writer.finished(row("x4", base + 10_000, "n2", Outcome.SUCCEEDED));
    writer.finished(row("x5", base - 1, "n2", Outcome.SUCCEEDED)); // before the window
    writer.close(10_000);

    List<ActivityCount> counts =
        a.history().activity(Instant.ofEpochMilli(base), Duration.ofSeconds(10));

    assertThat(counts)
        .containsExactly(
            new ActivityCount("n1", Instant.ofEpochMilli(base), Outcome.FAILED, 1),
            new ActivityCount("n1", Instant.ofEpochMilli(base), Outcome.SUCCEEDED, 2),
            new ActivityCount("n2", Instant.ofEpochMilli(base + 10_000), Outcome.SUCCEEDED, 1));
    assertThatThrownBy(() -> a.history().activity(Instant.EPOCH, Duration.ZERO))
        .isInstanceOf(InvalidHistoryQueryException.class)
        .hasMessageContaining("bucket");
  }

  private static Row row(String id, long start, String node, Outcome outcome) {
    return new Row(
        id, "t", "baton", "t", "baton", start, start, start + 5, node, outcome, 0, false, null,
        null, null, null, null, null);
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * {@code count} finished entries of task "work" and one RUNNING entry of task "held" that stays
   * running; the RUNNING one and the {@code old} oldest finished ones are moved 40 days back.
   * Returns the ids moved back.
   */
  private List<String> makeOld(Baton a, int count, int old) throws Exception {
    a.register(Task.named("work").cron(FAR_FUTURE).runs(RecordingJob.class).build());
    for (int i = 0; i < count; i++) {
      a.triggerNow("work");
      int n = i + 1;
      await()
          .atMost(WAIT)
          .until(
              () ->
                  entries(a, "work").stream().filter(e -> e.outcome() == Outcome.SUCCEEDED).count()
                      == n);
    }
    GatedJob.GATES.put("held", new CountDownLatch(1));
    a.register(
        Task.named("held").once(Instant.now()).runs(GatedJob.class).data("blockOn", "a").build());
    Execution held = awaitEntries(a, "held", 1, Outcome.RUNNING).get(0);
    List<String> moved = new ArrayList<>(entries(a, "work").stream().map(Execution::id).toList());
    java.util.Collections.reverse(moved); // oldest first
    moved = new ArrayList<>(moved.subList(0, old));
    long fortyDaysAgo = Instant.now().minus(Duration.ofDays(40)).toEpochMilli();
    moved.add(held.id());
    try (Connection c = db.pool(1).getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE QRTZ_BATON_HISTORY SET START_TIME = ? WHERE ID = ?")) {
      for (String id : moved) {
        ps.setLong(1, fortyDaysAgo);
        ps.setString(2, id);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
    moved.remove(held.id());
    return moved;
  }

  private static List<Execution> awaitEntries(Baton node, String task, int n, Outcome outcome) {
    await()
        .atMost(WAIT)
        .until(() -> entries(node, task).stream().filter(e -> e.outcome() == outcome).count() >= n);
    List<Execution> all = entries(node, task);
    assertThat(all)
        .as("entries of %s", task)
        .hasSize(n)
        .extracting(Execution::outcome)
        .containsOnly(outcome);
    return all;
  }

  private static List<Execution> entries(Baton node, String task) {
    return query(node, HistoryQuery.all().task(task));
  }

  private static List<Execution> finished(Baton node) {
    return query(node, HistoryQuery.all().outcomes(Outcome.SUCCEEDED, Outcome.FAILED));
  }

  private static List<Execution> query(Baton node, HistoryQuery q) {
    return node.history().query(q.limit(HistoryQuery.MAX_LIMIT)).entries();
  }

  private static List<Execution> only(
      List<Execution> all, java.util.function.Predicate<Execution> p) {
    return all.stream().filter(p).toList();
  }
}
