package dev.baton.micrometer;

import dev.baton.scheduling.Task;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerListener;

/**
 * One OpenTelemetry span per execution, kind {@code CONSUMER}, the root of a trace of its own with
 * a link to the context stored in its trigger (whoever registered, triggered or retried the task).
 * It is current on the worker thread from the firing's first trigger-listener call to its last:
 * Quartz calls trigger listeners around every job listener, so the job's code, Baton's retry
 * decision (which stores this span as the next attempt's link) and any Micrometer observation all
 * run inside it, and scopes close in the order they opened.
 */
final class ExecutionSpans implements TriggerListener, JobListener {
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("baton.outcome");

  private final Tracer tracer;
  private final String nodeId;

  /**
   * The open span of the firing running on this thread. Per thread rather than in the firing's
   * context so that one Quartz ended without a last call (a listener that threw) is closed by the
   * thread's next firing instead of staying current.
   */
  private final ThreadLocal<Open> open = new ThreadLocal<>();

  private record Open(Span span, Scope scope) {
    void close() {
      scope.close();
      span.end();
    }
  }

  ExecutionSpans(Tracer tracer, String nodeId) {
    this.tracer = tracer;
    this.nodeId = nodeId;
  }

  @Override
  public String getName() {
    return "baton-spans";
  }

  @Override
  public void triggerFired(Trigger trigger, JobExecutionContext ctx) {
    try {
      Open left = take();
      if (left != null) left.close();
      Span span = start(ctx);
      open.set(new Open(span, span.makeCurrent()));
    } catch (RuntimeException ignored) {
      // Tracing must never disturb an execution.
    }
  }

  @Override
  public boolean vetoJobExecution(Trigger trigger, JobExecutionContext ctx) {
    return false;
  }

  @Override
  public void triggerMisfired(Trigger trigger) {}

  @Override
  public void jobToBeExecuted(JobExecutionContext ctx) {}

  @Override
  public void jobExecutionVetoed(JobExecutionContext ctx) {
    // A vetoed firing gets no triggerComplete: its span ends here.
    Open o = take();
    if (o == null) return;
    try {
      o.span().setAttribute(OUTCOME, "vetoed");
      if (ctx.get(Task.VETO_REASON) instanceof String reason) {
        o.span().setAttribute("baton.veto_reason", reason);
      }
    } catch (RuntimeException ignored) {
      // Tracing must never disturb an execution.
    } finally {
      o.close();
    }
  }

  @Override
  public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException failure) {
    Open o = open.get();
    if (o == null) return;
    try {
      Span span = o.span();
      span.setAttribute(OUTCOME, failure == null ? "success" : "failure");
      if (failure != null) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        span.recordException(cause);
        span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
      }
    } catch (RuntimeException ignored) {
      // Tracing must never disturb an execution.
    }
  }

  @Override
  public void triggerComplete(
      Trigger trigger, JobExecutionContext ctx, CompletedExecutionInstruction instruction) {
    Open o = take();
    if (o == null) return;
    try {
      // Known once the firing's lock was taken; absent for a task without one.
      Long token = fencingToken(ctx.get(Task.FENCING_TOKEN));
      if (token != null) o.span().setAttribute("baton.fencing_token", token);
    } catch (RuntimeException ignored) {
      // Tracing must never disturb an execution.
    } finally {
      o.close();
    }
  }

  private Open take() {
    Open o = open.get();
    open.remove();
    return o;
  }

  private Span start(JobExecutionContext ctx) {
    String task = ctx.getJobDetail().getKey().getName();
    JobDataMap data = ctx.getMergedJobDataMap();
    SpanBuilder b =
        tracer
            .spanBuilder("process " + task)
            .setSpanKind(SpanKind.CONSUMER)
            // A trace of its own: a recurring task's firings must not all join the trace that
            // registered it, nor a retry the trace of its failed attempt. Links say where it came
            // from.
            .setNoParent()
            .setAttribute("messaging.system", "baton")
            .setAttribute("messaging.operation.type", "process")
            .setAttribute("messaging.destination.name", task)
            .setAttribute("messaging.message.id", ctx.getFireInstanceId())
            .setAttribute("baton.task", task)
            .setAttribute("baton.node", nodeId)
            .setAttribute("baton.attempt", FiringKind.attempt(data))
            .setAttribute("baton.trigger.type", FiringKind.of(ctx.getTrigger(), data))
            .setAttribute("baton.fire_instance_id", ctx.getFireInstanceId());
    SpanContext origin = TriggerTraceContext.stored(ctx.getTrigger().getJobDataMap());
    if (origin.isValid()) b.addLink(origin);
    return b.startSpan();
  }

  static Long fencingToken(Object value) {
    if (value instanceof Number n) return n.longValue();
    if (value instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return getName();
  }
}
