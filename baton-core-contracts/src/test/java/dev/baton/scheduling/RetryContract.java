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
import dev.baton.testing.Recorder;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Retries: a failed firing of a task with a {@link RetryPolicy} runs again as a firing of its own,
 * with the configured delays, recorded attempt by attempt in the history (read from the database).
 * One small subclass per database.
 */
abstract class RetryContract {
  private static final Duration WAIT = Duration.ofSeconds(40);

  private TestDatabase db;
  private TestNodes nodes;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    FlakyJob.CALLS.clear();
    GatedFailingJob.reset();
    db = newDatabase();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  @Test
  void aJobFailingTwiceThenSucceedingRunsThreeTimesWithTheConfiguredDelays() {
    RetryPolicy policy =
        RetryPolicy.attempts(5)
            .backoff(Duration.ofMillis(400), Duration.ofSeconds(5))
            .jitter(0)
            .build();
    Baton a = nodes.start("a", b -> b);
    Baton other = nodes.start("b", b -> b);
    a.register(
        Task.named("flaky")
            .once(Instant.now())
            .runs(FlakyJob.class)
            .data("failures", "2")
            .retry(policy)
            .build());

    List<Execution> runs = awaitHistory(a, "flaky", 3);
    assertThat(runs)
        .extracting(Execution::outcome)
        .containsExactly(Outcome.FAILED, Outcome.FAILED, Outcome.SUCCEEDED);
    assertThat(runs)
        .extracting(e -> e.details().get("baton.attempt"))
        .containsExactly("1/5", "2/5", "3/5");
    assertThat(runs)
        .extracting(e -> e.details().get("baton.retryDelayMs"))
        .containsExactly("400", "800", null);
    // Each retry is due its delay after the failure was decided (just before the failed attempt's
    // end was recorded, both on the database's clock), starts no earlier than that, and not much
    // later either (an idle wait of 500 ms and a commit or two of slack).
    for (int i = 1; i < 3; i++) {
      Execution failed = runs.get(i - 1);
      Execution retry = runs.get(i);
      long delay = Long.parseLong(failed.details().get("baton.retryDelayMs"));
      assertThat(retry.scheduledFireTime())
          .isEqualTo(Instant.parse(failed.details().get("baton.retryAt")));
      assertThat(Duration.between(failed.endedAt(), retry.scheduledFireTime()).toMillis())
          .as("delay before attempt %d", i + 1)
          .isBetween(delay - 250, delay);
      assertThat(retry.startedAt())
          .as("start of attempt %d", i + 1)
          .isAfterOrEqualTo(retry.scheduledFireTime())
          .isBefore(retry.scheduledFireTime().plusMillis(2500));
    }
    // Nothing else runs: no fourth attempt, no second run of one.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> FlakyJob.calls("flaky") == 3);
    assertThat(finished(a, "flaky")).hasSize(3);
    assertThat(a.task("flaky").orElseThrow().triggers()).isEmpty();
    assertThat(a.retriesScheduled() + other.retriesScheduled()).isEqualTo(2);
  }

  @Test
  void exhaustedRetriesEndAsATerminalFailureAndAManualRetryRunsOnce() {
    RetryPolicy policy =
        RetryPolicy.attempts(2)
            .backoff(Duration.ofMillis(200), Duration.ofMillis(200))
            .jitter(0)
            .build();
    Baton a = nodes.start("a", b -> b);
    a.register(
        Task.named("doomed")
            .once(Instant.now())
            .runs(FlakyJob.class)
            .data("failures", "100")
            .retry(policy)
            .build());

    List<Execution> runs = awaitHistory(a, "doomed", 2);
    assertThat(runs).extracting(Execution::outcome).containsOnly(Outcome.FAILED);
    assertThat(runs.get(1).details())
        .containsEntry("baton.attempt", "2/2")
        .containsEntry("baton.retry", "exhausted");
    assertThat(a.task("doomed").orElseThrow().triggers()).isEmpty();

    a.retry("doomed");
    List<Execution> after = awaitHistory(a, "doomed", 3);
    assertThat(after.get(2).details())
        .containsEntry("baton.attempt", "manual")
        .containsEntry("baton.retry", "manual retry, not retried");
    // Nothing more is pending: the manual retry is not retried.
    assertThat(a.task("doomed").orElseThrow().triggers()).isEmpty();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> FlakyJob.calls("doomed") == 3);
    assertThat(a.retriesExhausted()).isEqualTo(2);
  }

  @Test
  void onlyTheListedExceptionTypesAreRetried() {
    RetryPolicy policy =
        RetryPolicy.attempts(3)
            .backoff(Duration.ofMillis(100), Duration.ofMillis(100))
            .jitter(0)
            .retryOn(IOException.class)
            .build();
    Baton a = nodes.start("a", b -> b);
    a.register(
        Task.named("io")
            .once(Instant.now())
            .runs(FlakyJob.class)
            .data("failures", "1")
            .data("io", "true")
            .retry(policy)
            .build());
    a.register(
        Task.named("bug")
            .once(Instant.now())
            .runs(FlakyJob.class)
            .data("failures", "1")
            .retry(policy)
            .build());

    assertThat(awaitHistory(a, "io", 2))
        .extracting(Execution::outcome)
        .containsExactly(Outcome.FAILED, Outcome.SUCCEEDED);
    List<Execution> bug = awaitHistory(a, "bug", 1);
    assertThat(bug.get(0).details()).containsEntry("baton.retry", "not retryable");
    assertThat(a.task("bug").orElseThrow().triggers()).isEmpty();
  }

  @Test
  void aPendingRetryOutlivesItsNode() {
    RetryPolicy policy =
        RetryPolicy.attempts(2)
            .backoff(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .jitter(0)
            .build();
    Baton a = nodes.start("a", b -> b);
    a.register(
        Task.named("survivor")
            .once(Instant.now())
            .runs(FlakyJob.class)
            .data("failures", "1")
            .retry(policy)
            .build());
    awaitHistory(a, "survivor", 1);
    assertThat(a.task("survivor").orElseThrow().triggers())
        .singleElement()
        .satisfies(t -> assertThat(t.group()).isEqualTo("baton.retry"));
    a.close();

    Baton b = nodes.start("b", x -> x);
    List<Execution> runs = awaitHistory(b, "survivor", 2);
    assertThat(runs.get(1).node()).isEqualTo("b");
    assertThat(runs.get(1).outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  /**
   * The retry is written in the transaction that completes the failed attempt. When the cluster has
   * taken the attempt back meanwhile (as from a node it declared dead), that completion is not this
   * node's to write, and neither is the retry: a retry stored on its own would run beside the
   * recovery's re-run of a recoverable task.
   */
  @Test
  void aRetryIsStoredOnlyWithItsFailedAttemptsCompletion() throws Exception {
    RetryPolicy policy =
        RetryPolicy.attempts(3)
            .backoff(Duration.ofMillis(100), Duration.ofMillis(100))
            .jitter(0)
            .build();
    Baton a = nodes.start("a", b -> b.threads(1));
    a.register(
        Task.named("taken").once(Instant.now()).runs(GatedFailingJob.class).retry(policy).build());
    assertThat(GatedFailingJob.STARTED.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    db.execute("DELETE FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'taken'");
    a.register(
        Task.named("after").once(Instant.now()).runs(FlakyJob.class).data("failures", "0").build());
    GatedFailingJob.RELEASE.countDown();
    // One worker: "after" runs once the failed attempt's completion has been written or refused.
    await().atMost(WAIT).until(() -> FlakyJob.calls("after") == 1);

    assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'baton.retry'"))
        .isZero();
    assertThat(GatedFailingJob.CALLS.get()).isEqualTo(1);
  }

  @Test
  void retriesOfANonConcurrentRecurringTaskNeverOverlapItsRegularFirings() {
    // Every other call fails and is retried at once; regular firings keep coming every 150 ms, and
    // each call takes 200 ms: retries and firings compete, and must still run one at a time.
    RetryPolicy policy =
        RetryPolicy.attempts(3)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .jitter(0)
            .build();
    Baton a = nodes.start("a", b -> b);
    nodes.start("b", b -> b);
    a.register(
        Task.named("alternating")
            .every(Duration.ofMillis(150))
            .runs(FlakyJob.class)
            .data("failEvery", "2")
            .data("sleepMillis", "200")
            .maxConcurrent(1)
            .retry(policy)
            .build());
    await()
        .atMost(WAIT)
        .until(
            () ->
                finished(a, "alternating").stream()
                            .filter(e -> e.details().containsKey("baton.retry"))
                            .count()
                        >= 3
                    && finished(a, "alternating").size() >= 10);
    List<Execution> runs = finished(a, "alternating");
    assertThat(runs)
        .as("some runs are retries")
        .anyMatch(e -> "baton.retry".equals(e.triggerGroup()));
    assertThat(ConcurrencyLimitContract.maxOverlap(runs)).isEqualTo(1);
  }

  @Test
  void badPoliciesAreRefusedNamingTheFieldAndNothingIsStored() {
    assertThatThrownBy(() -> RetryPolicy.attempts(0).build())
        .isInstanceOfSatisfying(
            InvalidRetryPolicyException.class, e -> assertThat(e.field()).isEqualTo("maxAttempts"));
    assertThatThrownBy(
            () ->
                RetryPolicy.attempts(3)
                    .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
                    .build())
        .isInstanceOfSatisfying(
            InvalidRetryPolicyException.class, e -> assertThat(e.field()).isEqualTo("maxDelay"));
    assertThatThrownBy(
            () -> RetryPolicy.attempts(3).backoff(Duration.ZERO, Duration.ofSeconds(1)).build())
        .isInstanceOfSatisfying(
            InvalidRetryPolicyException.class,
            e -> assertThat(e.field()).isEqualTo("initialDelay"));
    assertThatThrownBy(() -> RetryPolicy.attempts(3).jitter(1.5).build())
        .isInstanceOfSatisfying(
            InvalidRetryPolicyException.class, e -> assertThat(e.field()).isEqualTo("jitter"));

    Baton a = nodes.start("a", b -> b);
    Task unknown =
        Task.named("typo")
            .every(Duration.ofSeconds(1))
            .runs(FlakyJob.class)
            .retry(RetryPolicy.attempts(2).retryOn("java.io.IOExceptoin").build())
            .build();
    assertThatThrownBy(() -> a.register(unknown))
        .isInstanceOfSatisfying(
            InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("retry.retryOn"))
        .hasMessageContaining("java.io.IOExceptoin");
    assertThat(a.task("typo")).isEmpty();
  }

  @Test
  void jobsWrittenAgainstQuartzGetTheirPolicyFromJobData() throws SchedulerException {
    Baton a = nodes.start("a", b -> b);
    Scheduler q = a.quartz();
    JobDetail job =
        newJob(FlakyJob.class)
            .withIdentity("quartz-flaky", "app")
            .usingJobData("failures", "1")
            .usingJobData(RetryPolicy.MAX_ATTEMPTS_KEY, "3")
            .usingJobData(RetryPolicy.INITIAL_DELAY_KEY, "200")
            .usingJobData(RetryPolicy.JITTER_KEY, "0")
            .build();
    q.scheduleJob(job, newTrigger().withIdentity("once", "app").startNow().build());
    List<Execution> runs = awaitHistory(a, "quartz-flaky", 2);
    assertThat(runs)
        .extracting(Execution::outcome)
        .containsExactly(Outcome.FAILED, Outcome.SUCCEEDED);
    assertThat(runs.get(0).details()).containsEntry("baton.retryDelayMs", "200");

    JobDetail bad =
        newJob(FlakyJob.class)
            .withIdentity("bad", "app")
            .usingJobData(RetryPolicy.MAX_ATTEMPTS_KEY, "zero")
            .build();
    assertThatThrownBy(
            () -> q.scheduleJob(bad, newTrigger().withIdentity("bad", "app").startNow().build()))
        .hasMessageContaining("app.bad")
        .hasMessageContaining(RetryPolicy.MAX_ATTEMPTS_KEY);
    assertThat(q.checkExists(bad.getKey())).isFalse();

    // Every invalid value is refused by its key, and nothing is stored.
    Map<String, Map<String, String>> invalid =
        Map.of(
            RetryPolicy.MAX_ATTEMPTS_KEY, Map.of(RetryPolicy.MAX_ATTEMPTS_KEY, "0"),
            RetryPolicy.MAX_DELAY_KEY,
                Map.of(
                    RetryPolicy.MAX_ATTEMPTS_KEY,
                    "3",
                    RetryPolicy.INITIAL_DELAY_KEY,
                    "5000",
                    RetryPolicy.MAX_DELAY_KEY,
                    "1000"),
            RetryPolicy.RETRY_ON_KEY,
                Map.of(
                    RetryPolicy.MAX_ATTEMPTS_KEY,
                    "3",
                    RetryPolicy.RETRY_ON_KEY,
                    "java.io.IOExceptoin"));
    for (Map.Entry<String, Map<String, String>> c : invalid.entrySet()) {
      JobDetail refused =
          newJob(FlakyJob.class)
              .withIdentity("refused", "app")
              .usingJobData(new JobDataMap(c.getValue()))
              .build();
      assertThatThrownBy(
              () ->
                  q.scheduleJob(
                      refused, newTrigger().withIdentity("refused", "app").startNow().build()))
          .as(c.getKey())
          .hasMessageContaining("app.refused")
          .hasMessageContaining(c.getKey());
      assertThat(q.checkExists(refused.getKey())).isFalse();
    }
  }

  /** The task's history entries, oldest first, once there are {@code n} finished ones. */
  private static List<Execution> awaitHistory(Baton node, String task, int n) {
    await().atMost(WAIT).until(() -> finished(node, task).size() >= n);
    List<Execution> runs = finished(node, task);
    assertThat(runs).hasSize(n);
    return runs;
  }

  private static List<Execution> finished(Baton node, String task) {
    return node.history().query(HistoryQuery.all().task(task)).entries().stream()
        .filter(e -> e.outcome() != Outcome.RUNNING)
        .sorted(Comparator.comparing(Execution::startedAt))
        .toList();
  }

  private long count(String sql) throws SQLException {
    try (Connection c = db.pool(1).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Fails every call, each once the test lets it. */
  public static final class GatedFailingJob implements Job {
    static volatile CountDownLatch STARTED = new CountDownLatch(1);
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);
    static final AtomicInteger CALLS = new AtomicInteger();

    static void reset() {
      STARTED = new CountDownLatch(1);
      RELEASE = new CountDownLatch(1);
      CALLS.set(0);
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      CALLS.incrementAndGet();
      STARTED.countDown();
      try {
        RELEASE.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("failing on purpose");
    }
  }

  /**
   * Fails its first {@code failures} calls (per task), with an IOException when {@code io} is set.
   */
  public static final class FlakyJob implements Job {
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    static int calls(String task) {
      AtomicInteger n = CALLS.get(task);
      return n == null ? 0 : n.get();
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      String task = ctx.getJobDetail().getKey().getName();
      int call = CALLS.computeIfAbsent(task, k -> new AtomicInteger()).incrementAndGet();
      String sleep = ctx.getMergedJobDataMap().getString("sleepMillis");
      if (sleep != null) {
        try {
          Thread.sleep(Long.parseLong(sleep));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String every = ctx.getMergedJobDataMap().getString("failEvery");
      if (every != null
          ? call % Integer.parseInt(every) != 0
          : call > Integer.parseInt(ctx.getMergedJobDataMap().getString("failures"))) {
        return;
      }
      if ("true".equals(ctx.getMergedJobDataMap().getString("io"))) {
        throw new UncheckedIOException(new IOException("disk full, call " + call));
      }
      throw new IllegalStateException("failing on purpose, call " + call);
    }
  }
}
