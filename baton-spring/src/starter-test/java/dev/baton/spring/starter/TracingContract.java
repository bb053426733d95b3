package dev.baton.spring.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.scheduling.RetryPolicy;
import dev.baton.scheduling.Task;
import dev.baton.spring.boot.BatonActuatorAutoConfiguration;
import dev.baton.spring.boot.BatonAutoConfiguration;
import dev.baton.spring.boot.BatonTracingBinding;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.OpenTelemetry;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tracing under the starter, with a real OpenTelemetry SDK and its in-memory exporter as the
 * application's {@link OpenTelemetry} bean: a task run from inside a span (as a traced request
 * would) runs in a {@code CONSUMER} span linked to it, and its retry's span links to the failed
 * attempt's. Each starter's subclass names Boot's data source auto-configuration.
 */
public abstract class TracingContract {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();

  /** Boot's {@code DataSourceAutoConfiguration}. */
  protected abstract Class<?> dataSourceAutoConfiguration();

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                dataSourceAutoConfiguration(),
                BatonAutoConfiguration.class,
                BatonActuatorAutoConfiguration.class))
        .withPropertyValues(
            "baton.drain-timeout=1s",
            "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  private List<SpanData> executions(String task) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> task.equals(s.getAttributes().get(AttributeKey.stringKey("baton.task"))))
        .toList();
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  /** A span's identity: its trace and span ids (a link's context is remote, the span's is not). */
  private static String ids(SpanContext c) {
    return c.getTraceId() + "/" + c.getSpanId();
  }

  @Test
  void aTaskRunFromInsideASpanIsLinkedToItAndItsRetryToTheFailedAttempt() {
    runner()
        .withBean(OpenTelemetry.class, () -> otel)
        .run(
            ctx -> {
              assertThat(ctx.getBean(BatonTracingBinding.class).tracing()).isTrue();
              Baton baton = ctx.getBean(Baton.class);
              baton.register(
                  Task.named("export")
                      .once(Instant.now().plus(Duration.ofDays(1)))
                      .runs(FailingJob.class)
                      .retry(
                          RetryPolicy.attempts(2)
                              .backoff(Duration.ofMillis(100), Duration.ofMillis(100))
                              .build())
                      .build());

              // What a traced request does: run the task while its server span is current.
              Span request =
                  otel.getTracer("test")
                      .spanBuilder("POST /exports")
                      .setSpanKind(SpanKind.SERVER)
                      .startSpan();
              try (Scope ignored = request.makeCurrent()) {
                baton.triggerNow("export");
              } finally {
                request.end();
              }

              await().atMost(WAIT).until(() -> executions("export").size() == 2);
              SpanData first = executions("export").get(0);
              SpanData retry = executions("export").get(1);
              assertThat(first.getKind()).isEqualTo(SpanKind.CONSUMER);
              assertThat(first.getParentSpanContext().isValid()).isFalse();
              assertThat(first.getLinks())
                  .extracting(l -> ids(l.getSpanContext()))
                  .containsExactly(ids(request.getSpanContext()));
              assertThat(attr(first, "messaging.system")).isEqualTo("baton");
              assertThat(attr(first, "messaging.destination.name")).isEqualTo("export");
              assertThat(attr(first, "baton.node")).isEqualTo(baton.nodeId());
              assertThat(attr(first, "baton.attempt")).isEqualTo("1");
              assertThat(attr(first, "baton.outcome")).isEqualTo("failure");
              assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

              assertThat(retry.getKind()).isEqualTo(SpanKind.CONSUMER);
              assertThat(attr(retry, "baton.attempt")).isEqualTo("2");
              assertThat(attr(retry, "baton.trigger.type")).isEqualTo("retry");
              assertThat(retry.getLinks())
                  .extracting(l -> ids(l.getSpanContext()))
                  .containsExactly(ids(first.getSpanContext()));

              // The history has both attempts, failed, on this node.
              JdbcTemplate jdbc = new JdbcTemplate(ctx.getBean(javax.sql.DataSource.class));
              await()
                  .atMost(WAIT)
                  .until(
                      () ->
                          jdbc.queryForObject(
                                  "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME ="
                                      + " 'export' AND OUTCOME = 'FAILED' AND NODE_ID = ?",
                                  Long.class,
                                  baton.nodeId())
                              == 2);
            });
  }

  /**
   * Boot's usual setup: Micrometer Observations traced through Micrometer Tracing's OpenTelemetry
   * bridge. The request is an observation, as Spring MVC makes one; the execution's span links to
   * the request's span, and Baton's own observation of the execution nests inside it.
   */
  @Test
  void throughMicrometerTracingsBridgeTheRequestObservationIsLinkedAndBatonsObservationNests() {
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    Tracer tracer =
        new OtelTracer(
            otel.getTracer("micrometer"),
            current,
            event -> {},
            new OtelBaggageManager(current, List.of(), List.of()));
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    runner()
        .withBean(OpenTelemetry.class, () -> otel)
        .withBean(ObservationRegistry.class, () -> registry)
        .run(
            ctx -> {
              Baton baton = ctx.getBean(Baton.class);
              baton.register(
                  Task.named("report")
                      .once(Instant.now().plus(Duration.ofDays(1)))
                      .runs(CountingJob.class)
                      .build());
              Observation request = Observation.start("http.server.requests", registry);
              try (Observation.Scope ignored = request.openScope()) {
                baton.triggerNow("report");
              } finally {
                request.stop();
              }

              await().atMost(WAIT).until(() -> executions("report").size() == 2);
              SpanData requestSpan = named("http.server.requests");
              SpanData run =
                  executions("report").stream()
                      .filter(s -> s.getKind() == SpanKind.CONSUMER)
                      .findFirst()
                      .orElseThrow();
              SpanData observed =
                  executions("report").stream()
                      .filter(s -> s.getKind() != SpanKind.CONSUMER)
                      .findFirst()
                      .orElseThrow();
              assertThat(run.getLinks())
                  .extracting(l -> ids(l.getSpanContext()))
                  .containsExactly(ids(requestSpan.getSpanContext()));
              assertThat(observed.getParentSpanContext().getSpanId())
                  .as("Baton's observation of the execution nests in the execution's span")
                  .isEqualTo(run.getSpanContext().getSpanId());
              JdbcTemplate jdbc = new JdbcTemplate(ctx.getBean(javax.sql.DataSource.class));
              await()
                  .atMost(WAIT)
                  .until(
                      () ->
                          jdbc.queryForObject(
                                  "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME ="
                                      + " 'report' AND OUTCOME = 'SUCCEEDED'",
                                  Long.class)
                              == 1);
            });
  }

  private SpanData named(String name) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void withoutAnOpenTelemetryNothingIsTraced() {
    runner().run(ctx -> assertThat(ctx.getBean(BatonTracingBinding.class).tracing()).isFalse());
  }
}
