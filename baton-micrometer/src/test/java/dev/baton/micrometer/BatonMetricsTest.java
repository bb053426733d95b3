package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.locks.ClusterLock;
import dev.baton.scheduling.Task;
import dev.baton.testing.H2Database;
import dev.baton.testing.TestNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** The meters of a real node on H2: executions, locks and cluster gauges. */
class BatonMetricsTest {
  private H2Database db;
  private TestNodes nodes;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    db = new H2Database();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  /** Does nothing. */
  public static final class Quiet implements Job {
    @Override
    public void execute(JobExecutionContext ctx) {}
  }

  /** Always fails. */
  public static final class Failing implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      throw new JobExecutionException("meant to fail");
    }
  }

  private double executions(String task, String outcome) {
    Counter c = registry.find("baton.executions").tags("task", task, "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void executionsAreCountedTimedAndTheirLatenessMeasured() {
    Baton a = nodes.start("a", b -> b);
    try (BatonMetrics metrics = new BatonMetrics(a)) {
      metrics.bindTo(registry);
      a.register(Task.named("ok").once(Instant.now()).runs(Quiet.class).build());
      a.register(Task.named("bad").once(Instant.now()).runs(Failing.class).build());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> executions("ok", "success") == 1 && executions("bad", "failure") == 1);
      assertThat(executions("ok", "failure")).isZero();
      assertThat(registry.get("baton.execution.duration").tag("task", "ok").timer().count())
          .isEqualTo(1);
      assertThat(registry.get("baton.execution.lateness").tag("task", "ok").timer().count())
          .isEqualTo(1);
      assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void lockWaitHoldAndBusyAreMeasuredPerLock() {
    Baton a = nodes.start("a", b -> b);
    Baton other = nodes.start("b", b -> b);
    new BatonMetrics(a, Duration.ZERO).bindTo(registry);

    ClusterLock lock = a.locks().tryAcquire("report", Duration.ofSeconds(30)).orElseThrow();
    lock.release();
    ClusterLock elsewhere =
        other.locks().tryAcquire("report", Duration.ofSeconds(30)).orElseThrow();
    assertThat(a.locks().tryAcquire("report", Duration.ofSeconds(30))).isEmpty();
    elsewhere.release();

    assertThat(registry.get("baton.lock.wait").tag("lock", "report").timer().count()).isEqualTo(1);
    assertThat(registry.get("baton.lock.hold").tag("lock", "report").timer().count()).isEqualTo(1);
    assertThat(registry.get("baton.lock.busy").tag("lock", "report").counter().count())
        .isEqualTo(1);
  }

  @Test
  void clusterGaugesShowNodesAndTriggerStates() {
    Baton a = nodes.start("a", b -> b);
    nodes.start("b", b -> b);
    a.register(Task.named("later").every(Duration.ofHours(1)).runs(Quiet.class).build());
    BatonMetrics metrics = new BatonMetrics(a, Duration.ZERO);
    metrics.bindTo(registry);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              metrics.refresh();
              assertThat(registry.get("baton.nodes.live").gauge().value()).isEqualTo(2);
              assertThat(registry.get("baton.nodes").gauge().value()).isEqualTo(2);
              assertThat(registry.get("baton.triggers").tag("state", "WAITING").gauge().value())
                  .isEqualTo(1);
            });
    assertThat(registry.get("baton.tasks.stuck").gauge().value()).isZero();
  }
}
