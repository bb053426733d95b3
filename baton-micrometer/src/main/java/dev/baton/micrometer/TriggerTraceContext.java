package dev.baton.micrometer;

import dev.baton.internal.tracing.TriggerContextCapture;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quartz.JobDataMap;

/**
 * A trace context kept in a trigger's data as W3C Trace Context, under {@value #TRACEPARENT} and
 * {@value #TRACESTATE}: text, so it is stored as any job data is and read back by whichever node
 * fires the trigger. W3C whatever the application's own propagators: every node must read what any
 * other wrote.
 */
final class TriggerTraceContext implements TriggerContextCapture {
  static final String PREFIX = "baton.";
  static final String TRACEPARENT = PREFIX + "traceparent";
  static final String TRACESTATE = PREFIX + "tracestate";

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<JobDataMap> FROM_DATA =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(JobDataMap data) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(JobDataMap data, String key) {
          return data != null && data.get(PREFIX + key) instanceof String s ? s : null;
        }
      };

  /** Nothing unless a valid span is current: the usual case without tracing costs one look-up. */
  @Override
  public Map<String, String> capture() {
    Context current = Context.current();
    if (!Span.fromContext(current).getSpanContext().isValid()) return Map.of();
    Map<String, String> out = new HashMap<>(4);
    W3C.inject(current, out, (map, key, value) -> map.put(PREFIX + key, value));
    return out;
  }

  /** The span context stored in {@code data}; invalid when there is none or it is malformed. */
  static SpanContext stored(JobDataMap data) {
    if (data == null || !data.containsKey(TRACEPARENT)) return SpanContext.getInvalid();
    return Span.fromContext(W3C.extract(Context.root(), data, FROM_DATA)).getSpanContext();
  }
}
