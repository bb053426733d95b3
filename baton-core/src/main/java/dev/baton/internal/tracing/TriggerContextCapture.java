package dev.baton.internal.tracing;

import java.util.Map;

/**
 * Reads the calling thread's trace context as trigger data, so that an execution, on whichever node
 * it runs, can refer to the code that registered, triggered or retried its task. Installed by a
 * tracing module ({@code baton-micrometer}'s {@code BatonTracing}) through {@link
 * TriggerContexts#install}; Baton's core knows no tracing library.
 */
@FunctionalInterface
public interface TriggerContextCapture {
  /**
   * The calling thread's trace context as entries to store in a new trigger's data, keys under
   * {@code baton.}; empty when there is none. Called on every trigger Baton creates for a caller:
   * it must be cheap.
   */
  Map<String, String> capture();
}
