package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.locks.ClusterLock;
import dev.baton.locks.ClusterLocks;
import dev.baton.locks.LockException;
import dev.baton.scheduling.RetryPolicy;
import dev.baton.scheduling.Task;
import dev.baton.testing.H2Database;
import dev.baton.testing.TestNodes;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * The observations of a real node on H2, recorded by a real {@link ObservationRegistry} with a
 * handler that keeps every stopped context: executions (their outcome, trigger type, attempt, and
 * that the job's own code runs inside its observation), vetoed firings and lock acquisitions.
 */
class BatonObservationsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The observation current while each task's job code ran, by task. */
  static final Map<String, Observation> CURRENT_IN_JOB = new ConcurrentHashMap<>();

  static ObservationRegistry registry;

  private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
  private H2Database db;
  private TestNodes nodes;

  @BeforeEach
  void setUp() {
    CURRENT_IN_JOB.clear();
    registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public void onStop(Observation.Context context) {
                stopped.add(context);
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    db = new H2Database();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  /** Remembers which observation was current while it ran. */
  public static final class Watching implements Job {
    @Override
    public void execute(JobExecutionContext ctx) {
      CURRENT_IN_JOB.put(ctx.getJobDetail().getKey().getName(), registry.getCurrentObservation());
    }
  }

  /** Always fails, remembering its observation too. */
  public static final class Failing implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      CURRENT_IN_JOB.put(ctx.getJobDetail().getKey().getName(), registry.getCurrentObservation());
      throw new JobExecutionException("meant to fail");
    }
  }

  private List<Observation.Context> named(String name, String task) {
    return stopped.stream()
        .filter(c -> c.getName().equals(name))
        .filter(c -> task == null || task.equals(value(c, "baton.task")))
        .collect(Collectors.toList());
  }

  private static String value(Observation.Context c, String key) {
    KeyValue low = c.getLowCardinalityKeyValue(key);
    if (low != null) return low.getValue();
    KeyValue high = c.getHighCardinalityKeyValue(key);
    return high == null ? null : high.getValue();
  }

  @Test
  void everyExecutionIsObservedAroundTheJobsOwnCode() {
    Baton a = nodes.build("a", b -> b);
    BatonObservations.observe(a, registry);
    a.start();
    a.register(Task.named("ok").once(Instant.now()).runs(Watching.class).build());
    a.register(Task.named("bad").once(Instant.now()).runs(Failing.class).build());

    await()
        .atMost(WAIT)
        .until(
            () ->
                named("baton.job.execution", "ok").size() == 1
                    && named("baton.job.execution", "bad").size() == 1);
    Observation.Context ok = named("baton.job.execution", "ok").get(0);
    assertThat(value(ok, "baton.outcome")).isEqualTo("success");
    assertThat(value(ok, "baton.trigger.type")).isEqualTo("once");
    assertThat(value(ok, "baton.node")).isEqualTo("a");
    assertThat(value(ok, "baton.attempt")).isEqualTo("1");
    assertThat(value(ok, "baton.fire_instance_id")).isNotBlank();
    assertThat(CURRENT_IN_JOB.get("ok"))
        .as("the job ran inside its execution's observation")
        .isNotNull()
        .extracting(o -> o.getContext())
        .isSameAs(ok);
    Observation.Context bad = named("baton.job.execution", "bad").get(0);
    assertThat(value(bad, "baton.outcome")).isEqualTo("failure");
    assertThat(bad.getError()).hasMessageContaining("meant to fail");
    assertThat(CURRENT_IN_JOB.get("bad").getContext()).isSameAs(bad);
    assertThat(registry.getCurrentObservation()).as("nothing left open on this thread").isNull();
  }

  @Test
  void aRunRequestedByHandIsObservedAsManual() {
    Baton a = nodes.build("a", b -> b);
    BatonObservations.observe(a, registry);
    a.start();
    a.register(
        Task.named("later")
            .once(Instant.now().plus(Duration.ofDays(1)))
            .runs(Watching.class)
            .build());
    a.triggerNow("later");
    await().atMost(WAIT).until(() -> named("baton.job.execution", "later").size() == 1);
    assertThat(value(named("baton.job.execution", "later").get(0), "baton.trigger.type"))
        .isEqualTo("manual");
  }

  @Test
  void aRetryIsObservedAsOneAndSaysItsAttempt() {
    Baton a = nodes.build("a", b -> b);
    BatonObservations.observe(a, registry);
    a.start();
    a.register(
        Task.named("flaky")
            .once(Instant.now())
            .runs(Failing.class)
            .retry(
                RetryPolicy.attempts(2)
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(100))
                    .build())
            .build());

    await().atMost(WAIT).until(() -> named("baton.job.execution", "flaky").size() == 2);
    List<Observation.Context> both = named("baton.job.execution", "flaky");
    assertThat(both)
        .extracting(c -> value(c, "baton.trigger.type"))
        .containsExactly("once", "retry");
    assertThat(both).extracting(c -> value(c, "baton.attempt")).containsExactly("1", "2");
  }

  @Test
  void aFiringVetoedByItsBusyLockIsObservedAsVetoed() {
    Baton a = nodes.build("a", b -> b);
    BatonObservations.observe(a, registry);
    a.start();
    // Held elsewhere, by a lock client that is not a node: only node a fires the task.
    ClusterLocks holder = ClusterLocks.builder(db.pool(2)).nodeId("holder").build();
    ClusterLock held = holder.tryAcquire("export", Duration.ofMinutes(1)).orElseThrow();
    try {
      a.register(
          Task.named("export")
              .once(Instant.now())
              .runs(Watching.class)
              .underLock("export")
              .build());
      await().atMost(WAIT).until(() -> !named("baton.job.execution", "export").isEmpty());
      Observation.Context vetoed = named("baton.job.execution", "export").get(0);
      assertThat(value(vetoed, "baton.outcome")).isEqualTo("vetoed");
      assertThat(CURRENT_IN_JOB).doesNotContainKey("export");
    } finally {
      held.release();
      holder.close();
    }
  }

  @Test
  void lockAcquisitionsAreObservedWithTheirOutcomeAndToken() {
    Baton a = nodes.start("a", b -> b);
    Baton other = nodes.start("b", b -> b);
    BatonObservations.observe(a, registry);

    ClusterLock mine = a.locks().tryAcquire("report", Duration.ofSeconds(30)).orElseThrow();
    mine.release();
    ClusterLock elsewhere =
        other.locks().tryAcquire("report", Duration.ofSeconds(30)).orElseThrow();
    assertThat(a.locks().tryAcquire("report", Duration.ofSeconds(30))).isEmpty();
    elsewhere.release();

    List<Observation.Context> acquisitions = named("baton.lock.acquire", null);
    assertThat(acquisitions)
        .extracting(c -> value(c, "baton.outcome"))
        .containsExactly("acquired", "busy");
    assertThat(acquisitions)
        .allSatisfy(c -> assertThat(value(c, "baton.lock")).isEqualTo("report"));
    assertThat(value(acquisitions.get(0), "baton.fencing_token"))
        .isEqualTo(Long.toString(mine.fencingToken()));
  }

  @Test
  void anAcquisitionTheDatabaseRefusesIsObservedAsFailed() {
    H2Database gone = new H2Database();
    DataSource pool = gone.pool(4);
    ClusterLocks locks = ClusterLocks.builder(pool).nodeId("x").build();
    try {
      locks.observe(new LockObservations(registry, "x"));
      gone.execute("DROP TABLE QRTZ_BATON_LOCKS");
      assertThatThrownBy(() -> locks.tryAcquire("report", Duration.ofSeconds(30)))
          .isInstanceOf(LockException.class);
      assertThat(named("baton.lock.acquire", null))
          .singleElement()
          .satisfies(c -> assertThat(value(c, "baton.outcome")).isEqualTo("failed"))
          .satisfies(c -> assertThat(c.getError()).isInstanceOf(LockException.class));
    } finally {
      locks.close();
      gone.close();
    }
  }
}
