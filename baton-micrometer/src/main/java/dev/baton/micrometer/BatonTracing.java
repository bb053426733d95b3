package dev.baton.micrometer;

import dev.baton.Baton;
import dev.baton.internal.tracing.TriggerContexts;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;
import org.quartz.ListenerManager;
import org.quartz.SchedulerException;

/**
 * OpenTelemetry tracing of a node's executions: a span per execution, kind {@code CONSUMER}, named
 * {@code process <task>}, with messaging-style attributes ({@code messaging.system=baton}, {@code
 * messaging.destination.name=<task>}, {@code messaging.message.id=<fire instance id>}) and Baton's
 * ({@code baton.task}, {@code baton.node}, {@code baton.attempt}, {@code baton.trigger.type},
 * {@code baton.outcome}, {@code baton.fencing_token} when the firing took a lock).
 *
 * <p>Each span starts a trace of its own and <b>links</b> to the span that was current where its
 * trigger was made: the code that registered the task, ran it now ({@code triggerNow}, Quartz's
 * {@code triggerJob}) or scheduled it through the Quartz API; for a retry, the failed attempt's
 * span. That context is stored with the trigger (W3C {@code traceparent}/{@code tracestate} in its
 * data, under {@code baton.traceparent} and {@code baton.tracestate}), so the link holds whichever
 * node fires it. The span is current on the worker thread around the job's code.
 *
 * <pre>{@code
 * BatonTracing.trace(baton, openTelemetry);   // before baton.start()
 * }</pre>
 *
 * <p>Capturing the caller's context is JVM-wide once installed (a trace context belongs to the
 * calling thread, not to a node): any node of this JVM then stores it with the triggers it makes
 * while a span is current, and nothing when none is.
 */
public final class BatonTracing {
  /** The instrumentation scope name of Baton's spans. */
  public static final String INSTRUMENTATION_SCOPE = "dev.baton";

  private BatonTracing() {}

  /**
   * Traces {@code baton}'s executions with {@code openTelemetry}'s tracer, and stores the caller's
   * trace context with every trigger this JVM's nodes make from now on.
   *
   * @throws IllegalStateException when the node's listeners cannot be added
   */
  public static void trace(Baton baton, OpenTelemetry openTelemetry) {
    Objects.requireNonNull(baton, "baton");
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    ExecutionSpans spans =
        new ExecutionSpans(openTelemetry.getTracer(INSTRUMENTATION_SCOPE), baton.nodeId());
    try {
      ListenerManager listeners = baton.quartz().getListenerManager();
      listeners.addTriggerListener(spans);
      listeners.addJobListener(spans);
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "Could not trace executions of node " + baton.nodeId() + ": " + e.getMessage(), e);
    }
    TriggerContexts.install(new TriggerTraceContext());
  }
}
