package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.locks.ClusterLock;
import dev.baton.locks.ClusterLocks;
import dev.baton.scheduling.RetryPolicy;
import dev.baton.scheduling.Task;
import dev.baton.testing.H2Database;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.listeners.TriggerListenerSupport;

/**
 * Spans of a real node on H2, recorded by a real OpenTelemetry SDK with its in-memory exporter,
 * without Spring: the execution's span, its attributes, and its link to whoever registered,
 * triggered or retried the task, read back from the trigger stored in the database.
 */
class BatonTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The span current while each task's job code ran, by task. */
  static final Map<String, SpanContext> CURRENT_IN_JOB = new ConcurrentHashMap<>();

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk otel;
  private H2Database db;
  private DataSource probe;
  private TestNodes nodes;

  @BeforeEach
  void setUp() {
    CURRENT_IN_JOB.clear();
    otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
    db = new H2Database();
    probe = db.pool(2);
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
    if (otel != null) otel.close();
  }

  /** Remembers which span was current while it ran. */
  public static final class Watching implements Job {
    @Override
    public void execute(JobExecutionContext ctx) {
      CURRENT_IN_JOB.put(ctx.getJobDetail().getKey().getName(), Span.current().getSpanContext());
    }
  }

  /** Always fails. */
  public static final class Failing implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      throw new JobExecutionException("meant to fail");
    }
  }

  private List<SpanData> executions(String task) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> task.equals(s.getAttributes().get(AttributeKey.stringKey("baton.task"))))
        .toList();
  }

  /** A span's identity: its trace and span ids (a link's context is remote, the span's is not). */
  private static String ids(SpanContext c) {
    return c.getTraceId() + "/" + c.getSpanId();
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  /** The trigger data of the task's stored triggers, as stored (properties text). */
  private String storedTriggerData(String task) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT JOB_DATA FROM QRTZ_TRIGGERS WHERE JOB_NAME = ?")) {
      ps.setString(1, task);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byte[] data = rs.getBytes(1);
          if (data != null) out.append(new String(data, StandardCharsets.ISO_8859_1));
        }
      }
    }
    return out.toString();
  }

  @Test
  void aTaskRegisteredInsideASpanRunsOnAnotherNodeInAConsumerSpanLinkedToIt() throws Exception {
    // Node a registers and never fires (standby); node b, traced, runs the task.
    Baton a = nodes.build("a", b -> b);
    Baton b = nodes.build("b", o -> o);
    BatonTracing.trace(b, otel);
    b.start();

    Span request = otel.getTracer("test").spanBuilder("POST /reports").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      a.register(Task.named("report").every(Duration.ofHours(1)).runs(Watching.class).build());
    } finally {
      request.end();
    }

    String stored = storedTriggerData("report");
    assertThat(stored)
        .as("the registering request's context is stored with the trigger")
        .contains("baton.traceparent=00-" + request.getSpanContext().getTraceId())
        .contains(request.getSpanContext().getSpanId());

    await().atMost(WAIT).until(() -> executions("report").size() == 1);
    SpanData run = executions("report").get(0);
    assertThat(run.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(run.getName()).isEqualTo("process report");
    assertThat(run.getParentSpanContext().isValid()).as("a trace of its own").isFalse();
    assertThat(run.getLinks())
        .extracting(l -> ids(l.getSpanContext()))
        .containsExactly(ids(request.getSpanContext()));
    assertThat(attr(run, "messaging.system")).isEqualTo("baton");
    assertThat(attr(run, "messaging.destination.name")).isEqualTo("report");
    assertThat(attr(run, "baton.node")).isEqualTo("b");
    assertThat(attr(run, "baton.attempt")).isEqualTo("1");
    assertThat(attr(run, "baton.trigger.type")).isEqualTo("interval");
    assertThat(attr(run, "baton.outcome")).isEqualTo("success");
    assertThat(attr(run, "messaging.message.id")).isEqualTo(attr(run, "baton.fire_instance_id"));
    Long token = run.getAttributes().get(AttributeKey.longKey("baton.fencing_token"));
    assertThat(token).as("every execution's fencing token, lock or not").isNotNull();
    assertThat(CURRENT_IN_JOB.get("report"))
        .as("the job's own code ran inside its execution's span")
        .isEqualTo(run.getSpanContext());
    // The history, written once the execution completes, has it as node b's.
    await()
        .atMost(WAIT)
        .until(
            () ->
                TestDatabase.count(
                        probe,
                        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'report'"
                            + " AND NODE_ID = 'b' AND OUTCOME = 'SUCCEEDED' AND FENCING_TOKEN = "
                            + token)
                    == 1);
  }

  @Test
  void aRunNowAndTheQuartzApisTriggerJobAndScheduleJobLinkToTheSpanThatAskedWithTheLockToken() {
    Baton a = nodes.build("a", b -> b);
    BatonTracing.trace(a, otel);
    a.start();
    a.register(
        Task.named("nightly")
            .once(Instant.now().plus(Duration.ofDays(1)))
            .runs(Watching.class)
            .underLock("nightly")
            .build());

    Span click = otel.getTracer("test").spanBuilder("POST /run").startSpan();
    try (Scope ignored = click.makeCurrent()) {
      a.triggerNow("nightly");
    } finally {
      click.end();
    }
    await().atMost(WAIT).until(() -> executions("nightly").size() == 1);

    Span api = otel.getTracer("test").spanBuilder("quartz client").startSpan();
    try (Scope ignored = api.makeCurrent()) {
      a.quartz().triggerJob(JobKey.jobKey("nightly", "baton"));
    } catch (org.quartz.SchedulerException e) {
      throw new AssertionError(e);
    } finally {
      api.end();
    }
    await().atMost(WAIT).until(() -> executions("nightly").size() == 2);

    Span scheduler = otel.getTracer("test").spanBuilder("quartz scheduleJob").startSpan();
    try (Scope ignored = scheduler.makeCurrent()) {
      a.quartz()
          .scheduleJob(TriggerBuilder.newTrigger().forJob("nightly", "baton").startNow().build());
    } catch (org.quartz.SchedulerException e) {
      throw new AssertionError(e);
    } finally {
      scheduler.end();
    }
    await().atMost(WAIT).until(() -> executions("nightly").size() == 3);

    List<SpanData> runs = executions("nightly");
    assertThat(runs.get(0).getLinks())
        .extracting(l -> ids(l.getSpanContext()))
        .containsExactly(ids(click.getSpanContext()));
    assertThat(runs.get(1).getLinks())
        .extracting(l -> ids(l.getSpanContext()))
        .containsExactly(ids(api.getSpanContext()));
    assertThat(runs.get(2).getLinks())
        .extracting(l -> ids(l.getSpanContext()))
        .containsExactly(ids(scheduler.getSpanContext()));
    assertThat(runs.subList(0, 2))
        .allSatisfy(r -> assertThat(attr(r, "baton.trigger.type")).isEqualTo("manual"));
    // The tokens the history recorded for the two runs, in the database.
    List<Long> tokens =
        runs.stream()
            .map(r -> r.getAttributes().get(AttributeKey.longKey("baton.fencing_token")))
            .toList();
    assertThat(tokens).doesNotContainNull();
    for (Long token : tokens) {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  TestDatabase.count(
                          probe,
                          "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'nightly'"
                              + " AND FENCING_TOKEN = "
                              + token)
                      == 1);
    }
  }

  @Test
  void aRetryLinksToItsFailedAttempt() {
    Baton a = nodes.build("a", b -> b);
    BatonTracing.trace(a, otel);
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

    await().atMost(WAIT).until(() -> executions("flaky").size() == 2);
    SpanData first = executions("flaky").get(0);
    SpanData retry = executions("flaky").get(1);
    assertThat(attr(first, "baton.attempt")).isEqualTo("1");
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(first.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    assertThat(first.getLinks()).as("registered outside any span").isEmpty();
    assertThat(attr(retry, "baton.attempt")).isEqualTo("2");
    assertThat(attr(retry, "baton.trigger.type")).isEqualTo("retry");
    assertThat(retry.getLinks())
        .extracting(l -> ids(l.getSpanContext()))
        .containsExactly(ids(first.getSpanContext()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                TestDatabase.count(
                        probe,
                        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'flaky'"
                            + " AND OUTCOME = 'FAILED'")
                    == 2);
  }

  @Test
  void aFiringVetoedByItsBusyLockEndsItsSpanAsVetoedAndLeavesNothingCurrentOnTheWorker() {
    Baton a = nodes.build("a", b -> b.threads(1));
    // Called before Baton's own listener on each firing: sees what the worker thread had current.
    Map<String, SpanContext> currentBefore = new ConcurrentHashMap<>();
    try {
      a.quartz()
          .getListenerManager()
          .addTriggerListener(
              new TriggerListenerSupport() {
                @Override
                public String getName() {
                  return "before-baton";
                }

                @Override
                public void triggerFired(Trigger trigger, JobExecutionContext ctx) {
                  currentBefore.put(
                      ctx.getJobDetail().getKey().getName(), Span.current().getSpanContext());
                }
              });
    } catch (org.quartz.SchedulerException e) {
      throw new AssertionError(e);
    }
    BatonTracing.trace(a, otel);
    a.start();
    // Held by a lock client that is not a node: the firing is vetoed.
    ClusterLocks holder = ClusterLocks.builder(db.pool(2)).nodeId("holder").build();
    ClusterLock held = holder.tryAcquire("export", Duration.ofMinutes(1)).orElseThrow();
    try {
      a.register(
          Task.named("export")
              .once(Instant.now())
              .runs(Watching.class)
              .underLock("export")
              .build());
      await().atMost(WAIT).until(() -> executions("export").size() == 1);
    } finally {
      held.release();
      holder.close();
    }
    SpanData vetoed = executions("export").get(0);
    assertThat(attr(vetoed, "baton.outcome")).isEqualTo("vetoed");
    assertThat(attr(vetoed, "baton.veto_reason")).contains("holder");
    assertThat(CURRENT_IN_JOB).doesNotContainKey("export");

    // The same (only) worker runs the next firing outside the vetoed one's span.
    a.register(Task.named("after").once(Instant.now()).runs(Watching.class).build());
    await().atMost(WAIT).until(() -> executions("after").size() == 1);
    SpanData after = executions("after").get(0);
    assertThat(currentBefore.get("after").isValid())
        .as("nothing left current on the worker after the veto")
        .isFalse();
    assertThat(CURRENT_IN_JOB.get("after")).isEqualTo(after.getSpanContext());
    assertThat(
            TestDatabase.count(
                probe,
                "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'export'"
                    + " AND OUTCOME = 'SUCCEEDED'"))
        .isZero();
  }

  @Test
  void withoutACurrentSpanNothingIsStoredAndNothingLinked() throws Exception {
    Baton a = nodes.build("a", b -> b);
    BatonTracing.trace(a, otel);
    a.start();
    a.register(Task.named("plain").every(Duration.ofHours(1)).runs(Watching.class).build());

    assertThat(storedTriggerData("plain")).doesNotContain("baton.trace");
    await().atMost(WAIT).until(() -> executions("plain").size() == 1);
    assertThat(executions("plain").get(0).getLinks()).isEmpty();
  }
}
