package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.micrometer.BatonTracing;
import io.opentelemetry.api.OpenTelemetry;

/**
 * Traces the node's executions with the application's {@link OpenTelemetry} (Boot makes one with
 * Micrometer Tracing's OpenTelemetry bridge and the OpenTelemetry SDK): a {@code CONSUMER} span per
 * execution linked to the span that registered, triggered or retried its task. Made while the
 * context refreshes, before the node starts, so the first firing is traced.
 */
public final class BatonTracingBinding {
  private final boolean tracing;

  BatonTracingBinding(Baton baton, OpenTelemetry openTelemetry) {
    // The API's no-op instance records nothing: tracing it would only store contexts for nothing.
    this.tracing = openTelemetry != null && openTelemetry != OpenTelemetry.noop();
    if (tracing) BatonTracing.trace(baton, openTelemetry);
  }

  /** Whether the application had an OpenTelemetry to trace with. */
  public boolean tracing() {
    return tracing;
  }
}
